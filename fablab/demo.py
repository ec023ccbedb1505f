"""Demo data for the Fablab: its machines and "by appointment" hours, qualified
members (from the laser training's roll calls, and granted by the animator), a few
months of slots with their usage logs, and one maintenance window. Idempotent."""

import contextlib
from datetime import time, timedelta

from django.utils import timezone

from booking.localtime import local_datetime
from booking.models import Reservation, Site
from booking.refusals import BookingRefused
from members.demo import ANIMATOR_EMAIL, MEMBER_EMAIL
from members.models import User
from workshops.models import Session, Workshop

from .models import FablabHours, Machine, Qualification
from .services import (
    machine_reservation_create,
    maintenance_schedule,
    qualification_grant,
    qualifications_from_attendance,
    usage_log_record,
)

LASER_TRAINING = "Formation découpe laser"

# Tuesday and Thursday afternoons, Saturday morning (the coworking is closed then).
HOURS = [
    (1, time(14, 0), time(18, 0)),
    (3, time(14, 0), time(18, 0)),
    (5, time(9, 30), time(12, 30)),
]

# slug, name, kind, qualification, rules, prices (member, public), material, description,
# safety notes
MACHINES = [
    (
        "decoupe-laser",
        "Découpe laser Trotec",
        Machine.Kind.LASER_CUTTER,
        True,
        {"min_minutes": 30, "max_minutes": 180, "buffer_minutes": 15, "max_future_slots": 3},
        ("12.00", "25.00"),
        ("Contreplaqué peuplier 3 mm", "sheet"),
        "Découpe et gravure laser CO₂, plateau 60 × 40 cm : bois, carton, acrylique, cuir.",
        "Ne jamais laisser la machine sans surveillance. Pas de PVC (gaz toxique). "
        "Aspiration allumée avant chaque découpe.",
    ),
    (
        "imprimante-3d-prusa",
        "Imprimante 3D Prusa MK4",
        Machine.Kind.PRINTER_3D,
        False,
        {"min_minutes": 60, "max_minutes": 240, "buffer_minutes": 10, "max_future_slots": 4},
        ("3.00", "6.00"),
        ("PLA", "g"),
        "Impression FDM, volume 25 × 21 × 22 cm, PLA et PETG.",
        "Plateau chaud : attendre qu'il refroidisse avant de décoller la pièce.",
    ),
    (
        "imprimante-3d-ender",
        "Imprimante 3D Ender 3",
        Machine.Kind.PRINTER_3D,
        False,
        {"min_minutes": 60, "max_minutes": 240, "buffer_minutes": 10, "max_future_slots": 4},
        ("2.00", "5.00"),
        ("PETG", "g"),
        "Imprimante d'initiation, idéale pour les premiers prototypes.",
        "Plateau chaud : attendre qu'il refroidisse avant de décoller la pièce.",
    ),
    (
        "decoupe-vinyle",
        "Découpe vinyle Silhouette",
        Machine.Kind.VINYL_CUTTER,
        False,
        {"min_minutes": 30, "max_minutes": 120, "buffer_minutes": 0, "max_future_slots": 3},
        ("4.00", "8.00"),
        ("Vinyle adhésif", "m"),
        "Lettrage, stickers, flex textile jusqu'à 30 cm de large.",
        "Lame très coupante : la changer avec le capuchon.",
    ),
]


def seed(stdout=None) -> None:
    site = Site.objects.filter(slug="la-dynamo").first()
    if site is None:
        return
    if not FablabHours.objects.filter(site=site).exists():
        FablabHours.objects.bulk_create(
            FablabHours(site=site, weekday=day, opens=opens, closes=closes)
            for day, opens, closes in HOURS
        )
    training = Workshop.objects.filter(title=LASER_TRAINING).first()
    machines = {}
    for slug, name, kind, qualified, rules, prices, _m, description, safety in MACHINES:
        machine = Machine.objects.filter(slug=slug).first()
        if machine is None:
            machine = Machine(
                site=site,
                slug=slug,
                name=name,
                kind=kind,
                requires_qualification=qualified,
                training_workshop=training if qualified else None,
                price_member_hour=prices[0],
                price_public_hour=prices[1],
                description=description,
                safety_notes=safety,
                horizon_days=60,
                cancellation_cutoff_hours=12,
                **rules,
            )
            machine.full_clean()
            machine.save()
        machines[slug] = machine
    animator = User.objects.filter(email=ANIMATOR_EMAIL).first()
    # Those present at the laser trainings already held are qualified, as the roll
    # call would have made them had the machine existed then.
    now = timezone.now()
    if training is not None:
        for session in Session.objects.filter(workshop=training, end__lt=now):
            qualifications_from_attendance(session=session, by=animator)
    # And Camille, whom the animator trained on the laser by hand.
    camille = User.objects.filter(email=MEMBER_EMAIL).first()
    if camille is not None and not Qualification.objects.filter(member=camille).exists():
        qualification_grant(member=camille, machine=machines["decoupe-laser"], by=animator)
    if not Reservation.objects.filter(source=Reservation.Source.FABLAB).exists():
        _slots(machines, animator)
    if stdout:
        stdout.write(
            f"Machines: {Machine.objects.count()}, "
            f"qualifications: {Qualification.objects.count()}, "
            f"Fablab slots: {Reservation.objects.filter(source='fablab').count()}"
        )


def _slots(machines: dict[str, Machine], animator) -> None:
    """Three months of history with usage logs, three weeks ahead, one maintenance."""
    members = list(
        User.objects.filter(email__endswith="@ladynamo.example", is_staff=False).order_by("pk")
    )
    if not members:
        return
    qualified = {
        (q.member_id, q.machine_id)
        for q in Qualification.objects.filter(machine__in=list(machines.values()))
    }
    plans = [
        ("decoupe-laser", "14:00", "16:00"),
        ("imprimante-3d-prusa", "14:00", "16:00"),
        ("imprimante-3d-ender", "15:00", "17:00"),
        ("decoupe-vinyle", "16:00", "17:00"),
    ]
    saturday = [("decoupe-laser", "09:30", "11:00"), ("imprimante-3d-prusa", "10:00", "12:00")]
    today = timezone.localdate()
    day = today - timedelta(days=90)
    turn = 0
    while day <= today + timedelta(days=21):
        todays = plans if day.weekday() in (1, 3) else saturday if day.weekday() == 5 else []
        for slug, start, end in todays:
            machine = machines[slug]
            turn += 1
            candidates = [
                m
                for m in members
                if not machine.requires_qualification or (m.pk, machine.pk) in qualified
            ]
            if not candidates:
                continue
            member = candidates[turn % len(candidates)]
            start_at = local_datetime(day, time.fromisoformat(start))
            end_at = local_datetime(day, time.fromisoformat(end))
            past = start_at < timezone.now()
            try:
                # History goes through the real service too, booked "a week before".
                slot = machine_reservation_create(
                    member=member,
                    machine=machine,
                    start=start_at,
                    end=end_at,
                    now=start_at - timedelta(days=7) if past else None,
                )
            except BookingRefused:
                continue  # a holiday, a limit: the demo simply skips it
            if past and end_at < timezone.now() and turn % 4:
                material, unit = next(m[6] for m in MACHINES if m[0] == slug)
                usage_log_record(
                    reservation=slot,
                    by=member,
                    minutes=int((end_at - start_at).total_seconds() // 60) - 10 * (turn % 3),
                    material=material,
                    quantity=(turn % 5 + 1) * (40 if unit == "g" else 1),
                    unit=unit,
                )
        day += timedelta(days=1)
    if animator is not None:
        # The vinyl cutter's blade holder is replaced next week: its slots then move.
        next_thursday = today + timedelta(days=(3 - today.weekday()) % 7 + 7)
        with contextlib.suppress(BookingRefused):
            maintenance_schedule(
                machine=machines["decoupe-vinyle"],
                start=local_datetime(next_thursday, time(14, 0)),
                end=local_datetime(next_thursday, time(18, 0)),
                reason="Remplacement du porte-lame",
                by=animator,
            )

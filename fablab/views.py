from django.shortcuts import render


def index(request):
    # The Fablab page fills in with its issue; the navigation already points here.
    return render(request, "coming_soon.html", {"section": "fablab"})

"""A migration operation Django lacks: changing the parent of a model, in the state only.

When the engine's models moved from ``rooms`` to ``booking``, ``rooms.Space`` and
``fablab.Machine`` went on inheriting the same ``Resource`` table, but Django's
migration state must learn that their parent is now ``booking.Resource``. No built-in
operation changes a model's bases (Django ticket #23521), and changing the bases and
the parent link one after the other leaves a state Django cannot render (a parent
without its link, or a link to a model that is not a parent). This operation does both
at once and touches no table.
"""

from django.db.migrations.operations.base import Operation


class AlterModelBases(Operation):
    """Set a model's ``bases`` (and, for multi-table inheritance, its parent link field)
    in the migration state; the database is left alone.

    ``parent_link`` is ``(field_name, field)``: the one-to-one ``…_ptr`` field pointing
    at the new parent. Leave it out for a proxy model. Reversible: going back, the
    state is rebuilt from the earlier migrations.
    """

    reduces_to_sql = False
    reversible = True

    def __init__(self, name, bases, parent_link=None):
        self.name = name
        self.bases = tuple(bases)
        self.parent_link = parent_link

    @property
    def name_lower(self):
        return self.name.lower()

    def deconstruct(self):
        kwargs = {"name": self.name, "bases": self.bases}
        if self.parent_link is not None:
            kwargs["parent_link"] = self.parent_link
        return self.__class__.__qualname__, [], kwargs

    def state_forwards(self, app_label, state):
        state.models[app_label, self.name_lower].bases = self.bases
        if self.parent_link is None:
            state.reload_model(app_label, self.name_lower, delay=False)
        else:
            # Re-renders the model (and those related to it) with both changes.
            name, field = self.parent_link
            state.alter_field(app_label, self.name_lower, name, field, preserve_default=True)

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        pass

    def references_model(self, name, app_label):
        names = {self.name_lower}
        names.update(
            base.lower().rsplit(".", 1)[-1] for base in self.bases if isinstance(base, str)
        )
        return name.lower() in names

    def describe(self):
        return f"Set the parent of {self.name} to {', '.join(map(str, self.bases))} (state only)"

    @property
    def migration_name_fragment(self):
        return f"alter_{self.name_lower}_bases"

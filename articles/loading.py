"""Model instances made from fetched rows without Django's general-purpose
constructor.

`Model.__init__` takes positional and keyword arguments, defaults, related
objects and properties, and `Model.from_db` pads a row of deferred columns
to every field before calling it; a list page makes a hundred instances, so
that generality costs a tenth of the page. A row from the database needs
none of it: its values go straight into the instance, as the constructor
would leave them, and `post_init` is sent as the constructor sends it (an
image field fills its picture's dimensions on that signal). Where something
listens to `pre_init`, which expects the constructor's arguments, Django's
own way is taken.
"""

from django.db import models
from django.db.models.base import ModelState
from django.db.models.signals import post_init, pre_init


class LoadedFromRows(models.Model):
    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, db, field_names, values, *, fetch_mode=None):
        if pre_init.has_listeners(cls):
            return super().from_db(db, field_names, values, fetch_mode=fetch_mode)
        new = cls.__new__(cls)
        state = ModelState()
        state.adding, state.db = False, db
        if fetch_mode is not None:
            state.fetch_mode = fetch_mode
        # A field left out of the row stays out of the instance, so that it
        # is loaded when first read, as Django defers it. Attribute names go
        # in as the constructor's setattr would put them: a new instance has
        # no cached related object for a foreign key's setter to forget.
        fields = new.__dict__
        fields["_state"] = state
        fields.update(zip(field_names, values, strict=True))
        post_init.send(sender=cls, instance=new)
        return new

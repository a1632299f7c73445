"""E-mail notifications about participatory budgets, and each person's choices about them.

* ``models.py``: ``Preference`` (which kinds of e-mail a person wants; everything on until they say otherwise)
  and ``AreaFollow`` (areas a person follows besides the ones they live in).
* ``receivers.py``: listens to ``localpower.budgets.signals`` and only queues e-mail tasks.
* ``tasks.py``: the django-tasks that work out who should hear and send the e-mails.
* ``emails.py``: one e-mail, with a signed one-click unsubscribe link (``tokens.py``) and the
  ``List-Unsubscribe`` headers mail programs use.
* ``views.py``: the preferences page (signed in) and the unsubscribe page (no sign-in needed).
"""

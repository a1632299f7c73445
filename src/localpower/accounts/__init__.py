"""People, organisations, roles and API tokens.

How a home postcode becomes verified: a person declares it on their account page (it must be a postcode in the
council's area). It then waits in the staff page "Verify home postcodes", seen by officers and administrators
whose role covers one of the postcode's areas. The officer checks the electoral register or council tax records
and records which one, or records that the person could not be found there and why (the person is e-mailed
either way; both are audit-logged). Changing the declared postcode clears the verification. Only a verified
postcode makes someone a resident of its areas (``user.home_areas()``, ``roles.has_role(user, "resident", area)``).
"""

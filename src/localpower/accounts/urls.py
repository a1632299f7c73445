from django.urls import path

from localpower.accounts.views import account, auth, organisations, staff

app_name = "accounts"

urlpatterns = [
    # Signing up and in
    path("sign-up/", auth.sign_up, name="sign-up"),
    path("sign-up/check-your-email/", auth.sign_up_sent, name="sign-up-sent"),
    path("verify-email/resend/", auth.resend_verification, name="resend-verification"),
    path("verify-email/<str:token>/", auth.verify_email, name="verify-email"),
    path("sign-in/", auth.sign_in, name="sign-in"),
    path("sign-out/", auth.sign_out, name="sign-out"),
    path("password-reset/", auth.PasswordResetView.as_view(), name="password-reset"),
    path("password-reset/sent/", auth.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        auth.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("password-reset/done/", auth.PasswordResetCompleteView.as_view(), name="password-reset-complete"),
    # Your account
    path("account/", account.account, name="account"),
    path("account/name/", account.details, name="account-details"),
    path("account/postcode/", account.home_postcode, name="account-postcode"),
    path("account/password/", auth.change_password, name="change-password"),
    path("account/tokens/", account.create_token, name="token-create"),
    path("account/tokens/<int:token_id>/revoke/", account.revoke_token, name="token-revoke"),
    # Organisations
    path("organisations/", organisations.organisation_list, name="organisation-list"),
    path("organisations/<slug:slug>/", organisations.organisation_detail, name="organisation-detail"),
    path(
        "organisations/<slug:slug>/members/", organisations.organisation_members, name="organisation-members"
    ),
    path(
        "organisations/<slug:slug>/members/<int:role_id>/remove/",
        organisations.remove_member,
        name="organisation-member-remove",
    ),
    # Staff
    path("staff/", staff.home, name="staff-home"),
    path("staff/people/", staff.people, name="staff-people"),
    path("staff/people/<int:user_id>/", staff.person, name="staff-person"),
    path(
        "staff/people/<int:user_id>/roles/<int:role_id>/remove/", staff.revoke_role, name="staff-role-revoke"
    ),
    path("staff/postcodes/", staff.postcodes, name="staff-postcodes"),
    path("staff/postcodes/<int:user_id>/", staff.postcode_decision, name="staff-postcode-decision"),
    path("staff/organisations/", staff.organisations, name="staff-organisations"),
    path("staff/organisations/new/", staff.organisation_create, name="staff-organisation-create"),
    path("staff/audit/", staff.audit_log, name="staff-audit"),
]

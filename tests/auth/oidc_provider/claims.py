def userinfo(claims, user):
    """The claims an organisation's provider would send: a login name and a staff number."""
    claims["preferred_username"] = user.username
    claims["name"] = user.first_name
    claims["staff_number"] = user.last_name  # stands for a claim of the organisation's own
    return claims


from oidc_provider.lib.claims import ScopeClaims  # noqa: E402


class StaffClaims(ScopeClaims):
    """A scope of the organisation's own, ``staff``, carrying the staff number."""

    info_staff = ("工号", "The staff number.")

    def scope_staff(self):
        return {"staff_number": self.userinfo.get("staff_number")}

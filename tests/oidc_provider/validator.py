from oauth2_provider.oauth2_validators import OAuth2Validator


class ProvinceValidator(OAuth2Validator):
    """The claims a province's platform gives: the person's login name, name and e-mail."""

    def get_additional_claims(self, request):
        return {
            "preferred_username": request.user.username,
            "name": request.user.first_name,
            "email": request.user.email,
        }

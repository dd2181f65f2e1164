"""The channel-choice form; it only parses, services.set_preferences saves."""

from django import forms

from .models import ChannelPreference


class PreferenceForm(forms.ModelForm):
    class Meta:
        model = ChannelPreference
        fields = ["email", "sms", "webhook", "daily_digest"]
        widgets = {name: forms.CheckboxInput(attrs={"class": "form-check-input"}) for name in fields}

from django import forms
from django.contrib.auth.forms import PasswordChangeForm


class CodeForm(forms.Form):
    code = forms.CharField(
        label="验证码", max_length=16, strip=True,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
        error_messages={"required": "请输入验证码。", "max_length": "验证码过长。"},
    )

    def clean_code(self):
        code = self.cleaned_data["code"]
        if "\x00" in code:
            raise forms.ValidationError("验证码含有不允许的字符。")
        return code


class ChinesePasswordChangeForm(PasswordChangeForm):
    error_messages = {
        **PasswordChangeForm.error_messages,
        "password_incorrect": "原密码不正确，请重新输入。",
        "password_mismatch": "两次输入的新密码不一致。",
    }

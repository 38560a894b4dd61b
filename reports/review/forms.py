from django import forms
from django.utils.translation import gettext_lazy as _


class CommentForm(forms.Form):
    section_key = forms.ChoiceField(label=_("针对部分"))
    point_label = forms.CharField(label=_("针对要点（可选）"), required=False, max_length=200)
    body = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, sections: dict[str, str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["section_key"].choices = list(sections.items())


class ReplyForm(forms.Form):
    body = forms.CharField(label=_("回复"), widget=forms.Textarea(attrs={"rows": 2}))


class ResolveForm(forms.Form):
    """ "标为已处理" posts the reply box too: what was typed there is kept as a reply."""

    body = forms.CharField(label=_("回复"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class PublishForm(forms.Form):
    change_note = forms.CharField(
        label=_("更正说明（向公众公开）"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

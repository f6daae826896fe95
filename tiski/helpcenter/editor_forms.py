"""Forms of the help center editor. They only check the shape of what was sent; the
rules (lengths, unique slugs, a store's own categories) live in the actions, whose
``ActionError`` the views put on the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tiski.core.errors import ActionError
from tiski.helpcenter.models import MAX_SUMMARY_CHARS, MAX_TITLE_CHARS


class Intent:
    SAVE = "save"
    PUBLISH = "publish"
    UNPUBLISH = "unpublish"
    ALL = (SAVE, PUBLISH, UNPUBLISH)


class ArticleForm(forms.Form):
    # No max_length on the title and body: the action's message says what the limit is.
    title = forms.CharField(label=_("Title"), required=False)
    slug = forms.CharField(
        label=_("Address (slug)"),
        required=False,
        max_length=120,
        help_text=_("Leave empty to make one from the title."),
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        help_text=_("One or two sentences for search results and search engines."),
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": MAX_SUMMARY_CHARS}),
    )
    category = forms.TypedChoiceField(
        label=_("Category"), required=False, coerce=int, empty_value=None
    )
    body = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 22, "spellcheck": "true"}),
    )
    intent = forms.ChoiceField(
        choices=[(i, i) for i in Intent.ALL], required=False, widget=forms.HiddenInput
    )

    def __init__(
        self,
        *args: Any,
        categories: list[tuple[int, str]],
        uncategorised: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["title"].widget.attrs["maxlength"] = MAX_TITLE_CHARS
        # save_article moves an article between categories but never out of them, so a
        # filed article is not offered "No category" (choosing it would change nothing).
        none = [("", _("No category"))] if uncategorised else []
        category = self.fields["category"]
        assert isinstance(category, forms.TypedChoiceField)
        category.choices = none + [(str(pk), name) for pk, name in categories]

    def add_action_error(self, error: ActionError) -> None:
        field = error.field if error.field in self.fields else None
        self.add_error(field, error.message)


class CategoryForm(forms.Form):
    """A category's names in each served language, and its place in the list."""

    position = forms.IntegerField(label=_("Position"), min_value=0, max_value=10_000, initial=0)

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.languages = languages
        for code, name in languages:
            self.fields[f"name_{code}"] = forms.CharField(
                label=_("Name (%(language)s)") % {"language": name},
                required=False,
                max_length=120,
            )
            self.fields[f"description_{code}"] = forms.CharField(
                label=_("Description (%(language)s)") % {"language": name},
                required=False,
                max_length=300,
            )

    def names(self) -> dict[str, tuple[str, str]]:
        data = self.cleaned_data
        return {
            code: (data[f"name_{code}"], data[f"description_{code}"])
            for code, _name in self.languages
            if data.get(f"name_{code}", "").strip()
        }

    def add_action_error(self, error: ActionError) -> None:
        first = f"name_{self.languages[0][0]}" if self.languages else None
        self.add_error(first if error.field == "name" else None, error.message)

    def language_fields(self) -> list[tuple[str, forms.BoundField, forms.BoundField]]:
        return [
            (name, self[f"name_{code}"], self[f"description_{code}"])
            for code, name in self.languages
        ]

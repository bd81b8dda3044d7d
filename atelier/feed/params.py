"""The feed's request and answer vocabulary: its parameters and the `ranking` object."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Pages beyond this are past the end of any feed: 404 at once, before any offset is computed
# (an OFFSET too large for the database would otherwise be an error).
MAX_PAGE = 1_000_000

_BOOL_WORDS = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}


@extend_schema_field(OpenApiTypes.BOOL)
class StrictBooleanField(serializers.Field):
    """A query-string boolean: true/false, 1/0, yes/no; anything else is a 400."""

    def to_internal_value(self, data):
        value = _BOOL_WORDS.get(str(data).strip().lower())
        if value is None:
            raise serializers.ValidationError("Must be true or false.")
        return value

    def to_representation(self, value):
        return bool(value)


class FeedQuerySerializer(serializers.Serializer):
    page = serializers.IntegerField(
        min_value=1, required=False, default=1, help_text="Past the end: 404."
    )
    page_size = serializers.IntegerField(min_value=1, max_value=100, required=False, default=20)
    ordering = serializers.ChoiceField(
        choices=["personalized", "chronological"],
        required=False,
        help_text="Default: personalized when authenticated, chronological otherwise.",
    )
    invalidate_cache = StrictBooleanField(
        required=False, default=False, help_text="true: rank the feed again now"
    )
    explain = StrictBooleanField(
        required=False, default=False, help_text="true: add score, score_breakdown and reason"
    )
    unseen = StrictBooleanField(
        required=False, default=False, help_text="true: leave out posts I have already seen"
    )
    snapshot = serializers.RegexField(
        # The epoch part is optional: a token from before it existed pages on like an
        # expired one (from the current snapshot) instead of failing.
        r"^v\d{1,20}e\d{1,20}\.\d{1,10}(\.\d{1,20})?$",
        required=False,
        help_text="Opaque; carried by `next`/`previous` to page through one ranked snapshot.",
    )


class RankingInfoSerializer(serializers.Serializer):
    ordering = serializers.CharField()
    variant = serializers.CharField()
    cached = serializers.BooleanField()
    calc_version = serializers.IntegerField(allow_null=True)
    config_version = serializers.IntegerField()
    exact = serializers.BooleanField(allow_null=True)
    score_bound = serializers.FloatField(allow_null=True)
    candidates = serializers.IntegerField(allow_null=True)
    count_exact = serializers.BooleanField()

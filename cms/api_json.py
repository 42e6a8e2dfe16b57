"""The public API's JSON, indented as Wagtail asks, written without `json`'s slow path.

Wagtail renders its API indented by four spaces. Python's `json` module writes indented
JSON with its pure-Python encoder, a generator per list and dict; for a listing that is
a good part of the request. `IndentedJSONRenderer` writes the same bytes by plain
recursion, with the C string encoder: the output is exactly `json.dumps(data,
indent=..., separators=(",", ": "), ensure_ascii=False)` (tests compare the two).
"""

from json.encoder import encode_basestring, encode_basestring_ascii

from rest_framework.renderers import JSONRenderer

INFINITY = float("inf")


class IndentedJSONRenderer(JSONRenderer):
    """Django REST framework's JSON renderer; indented output written by `indented_json`."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        indent = self.get_indent(accepted_media_type, renderer_context or {})
        if data is None or indent is None:
            return super().render(data, accepted_media_type, renderer_context)
        text = indented_json(
            data,
            indent,
            default=self.encoder_class().default,
            ensure_ascii=self.ensure_ascii,
            allow_nan=not self.strict,
        )
        # As the framework does: \u2028 and \u2029 escaped, so JSON is valid JavaScript.
        return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").encode()


def indented_json(data, indent, default, ensure_ascii=False, allow_nan=True):
    """`json.dumps(data, indent=indent, separators=(",", ": "), default=default, ...)`.

    Containers must not refer to themselves (serializer output never does).
    """
    step = " " * indent
    chunks = []
    append = chunks.append
    string = encode_basestring_ascii if ensure_ascii else encode_basestring
    leaves = leaf_writers(string)
    keys = WrittenKeys(string, allow_nan)

    def write(value, newline):
        # `newline` is a line break and the current indentation.
        if isinstance(value, str):
            append(string(value))
        elif value is None:
            append("null")
        elif value is True:
            append("true")
        elif value is False:
            append("false")
        elif isinstance(value, int):
            append(int.__repr__(value))
        elif isinstance(value, float):
            append(float_text(value, allow_nan))
        elif isinstance(value, (list, tuple)):
            write_list(value, newline)
        elif isinstance(value, dict):
            write_dict(value, newline)
        else:
            write(default(value), newline)

    def write_list(items, newline):
        if not items:
            append("[]")
            return
        inner = newline + step
        before = "[" + inner
        for item in items:
            append(before)
            before = "," + inner
            write(item, inner)
        append(newline + "]")

    def write_dict(mapping, newline):
        if not mapping:
            append("{}")
            return
        inner = newline + step
        before = "{" + inner
        after = "," + inner
        for key, item in mapping.items():
            leaf = leaves.get(type(item))
            if leaf is not None:
                append(before + keys[key] + leaf(item))
            else:
                append(before + keys[key])
                write(item, inner)
            before = after
        append(newline + "}")

    write(data, "\n")
    return "".join(chunks)


class WrittenKeys(dict):
    """Each key of a dict as written, with its separator, by key: a response repeats
    a few keys many times. Only strings are kept (`True == 1`, but is written `true`)."""

    def __init__(self, string, allow_nan):
        super().__init__()
        self.string = string
        self.allow_nan = allow_nan

    def __missing__(self, key):
        if not isinstance(key, str):
            return self.string(key_text(key, self.allow_nan)) + ": "
        written = self.string(key) + ": "
        if type(key) is str:
            self[key] = written
        return written


def leaf_writers(string):
    """The commonest values of a dict (most of a response), by exact type, each with
    its function writing it: written without a call of `write` each."""
    return {
        str: string,
        int: int.__repr__,
        bool: lambda value: "true" if value else "false",
        type(None): lambda _: "null",
    }


def key_text(key, allow_nan):
    """A key that is not a string, as `json` writes it."""
    if isinstance(key, float):
        return float_text(key, allow_nan)
    if key is True:
        return "true"
    if key is False:
        return "false"
    if key is None:
        return "null"
    if isinstance(key, int):
        return int.__repr__(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")


def float_text(value, allow_nan):
    if value != value:  # noqa: PLR0124 - NaN
        text = "NaN"
    elif value == INFINITY:
        text = "Infinity"
    elif value == -INFINITY:
        text = "-Infinity"
    else:
        return float.__repr__(value)
    if not allow_nan:
        raise ValueError(f"Out of range float values are not JSON compliant: {value!r}")
    return text

"""Messages as plain Python values: every field (defaults included), enums by
name, repeated fields as lists, maps as dicts, floats kept as floats (inf stays
inf, unlike json_format)."""

from __future__ import annotations

from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message


def message_to_dict(message: Message) -> dict:
    out = {}
    for field in message.DESCRIPTOR.fields:
        if field.containing_oneof is not None and \
                message.WhichOneof(field.containing_oneof.name) != field.name:
            continue
        value = getattr(message, field.name)
        if _is_map(field):
            value_field = field.message_type.fields_by_name["value"]
            out[field.name] = {k: _scalar(value_field, v) for k, v in value.items()}
        elif field.label == FieldDescriptor.LABEL_REPEATED:
            out[field.name] = [_scalar(field, v) for v in value]
        else:
            out[field.name] = _scalar(field, value)
    return out


def _is_map(field: FieldDescriptor) -> bool:
    return (field.type == FieldDescriptor.TYPE_MESSAGE and
            field.message_type.GetOptions().map_entry)


def _scalar(field: FieldDescriptor, value):
    if field.type == FieldDescriptor.TYPE_MESSAGE:
        return message_to_dict(value)
    if field.type == FieldDescriptor.TYPE_ENUM:
        return field.enum_type.values_by_number[value].name if \
            value in field.enum_type.values_by_number else value
    return value

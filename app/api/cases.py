"""REST API for cases at /api/v1/cases/: Flask-AppBuilder's model API, writes through the services."""
from __future__ import annotations

from flask import jsonify, make_response, request
from flask_appbuilder.api import ModelRestApi, expose, permission_name, protect, safe
from apispec.exceptions import DuplicateComponentNameError
from marshmallow import Schema, fields
from werkzeug.exceptions import RequestEntityTooLarge

from app.api.errors import ERROR_CONTENT, document_errors, too_large_body
from app.domain.case_rules import ValidationFailed
from app.domain.errors import RuleError
from app.domain.local_time import parse_instant
from app.domain.statuses import Channel, EventSource, Priority
from app.domain.whole_numbers import MAX_PAGE_NUMBER, database_integer
from app.models import Case
from app.services import case_links
from app.services import cases as case_service
from app.services.actor import Actor
from app.services.scope import current_actor, scope_filters
from app.views.cases import CASE_PERMISSIONS
from app.views.datamodel import CappedCountInterface

CASE_COLUMNS = [
    "id", "tracking_code", "agency.code", "case_type.code", "kind", "channel", "status", "priority", "title",
    "description", "requester_name", "requester_phone", "requester_email", "requester_id", "province",
    "district", "subdistrict", "latitude", "longitude", "external_ref", "assignee.id", "assignee.username", "submitted_at",
    "first_response_at", "due_at", "closed_at", "sla_flag", "reopen_count", "satisfaction", "version",
    "updated_at",
]


class CaseCreateSchema(Schema):
    """The body of POST /api/v1/cases/ (validated by the case service, which reports every bad field)."""

    case_type_id = fields.Integer(required=True, metadata={"description": "A case type of your agency"})
    title = fields.String(required=True, metadata={"description": "At most 300 characters"})
    description = fields.String(allow_none=True, metadata={"description": "At most 10,000 characters"})
    channel = fields.String(allow_none=True, metadata={"enum": [c.value for c in Channel]})
    priority = fields.String(allow_none=True, metadata={"enum": [p.value for p in Priority]})
    requester_name = fields.String(allow_none=True)
    requester_phone = fields.String(allow_none=True)
    requester_email = fields.String(allow_none=True)
    requester_id = fields.String(allow_none=True, metadata={"description": "13-digit citizen or juristic ID"})
    province = fields.String(allow_none=True, metadata={"description": "Thai or English province name"})
    district = fields.String(allow_none=True)
    subdistrict = fields.String(allow_none=True)
    latitude = fields.Float(allow_none=True)
    longitude = fields.Float(allow_none=True)
    external_ref = fields.String(allow_none=True)


class CaseUpdateSchema(CaseCreateSchema):
    """The body of PUT /api/v1/cases/<id>: any of the fields, plus the version you read."""

    case_type_id = fields.Integer()
    title = fields.String()
    version = fields.Integer(metadata={"description": "The case's version when you read it; a stale one gets 409"})

# What the calls that answer with the case send: its id and its fields as GET /cases/<id> shows them.
CASE_ANSWER = {"application/json": {"schema": {"type": "object", "properties": {
    "id": {"type": "integer"}, "result": {"$ref": "#/components/schemas/CaseApi.get"}}}}}
CASE_ANSWERS = {"post", "put", "status", "forward", "reopen", "assign"}

INFO_FIELD = {"type": "object", "properties": {
    "name": {"type": "string"}, "label": {"type": "string"}, "description": {"type": "string"},
    "type": {"type": "string"}, "required": {"type": "boolean"}, "unique": {"type": "boolean"}}}
_TEXT = {"type": "string", "nullable": True}
API_SCHEMAS = {
    "TimelineEvent": {"type": "object", "properties": {
        "id": {"type": "integer"}, "at": {"type": "string", "format": "date-time"},
        "kind": {"type": "string"}, "source": {"type": "string"}, "actor": _TEXT,
        "from_status": _TEXT, "to_status": _TEXT, "from_agency": _TEXT, "to_agency": _TEXT, "note": _TEXT,
        "public": {"type": "boolean"},
        "changes": {"type": "object", "nullable": True, "description": "Field by field: [before, after]"},
        "origin": _TEXT}},
    "CaseLink": {"type": "object", "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["related", "duplicate"]},
        "made_here": {"type": "boolean", "description": "Whether this case's agency made the link"},
        "tracking_code": {"type": "string"}, "agency": {"type": "string"}, "case_type": {"type": "string"},
        "status": {"type": "string"},
        "title": {**_TEXT, "description": "Only for a case the caller may open"},
        "case_id": {"type": "integer", "nullable": True, "description": "Only for a case the caller may open"},
        "note": _TEXT, "made_by": _TEXT, "made_at": {"type": "string", "format": "date-time"}}},
}


NOT_JSON = {"code": "not_json", "message": "The body must be a JSON object.",
            "message_th": "เนื้อหาคำขอต้องเป็นออบเจกต์ JSON"}


def json_error(status: int, payload: dict):
    return make_response(jsonify(payload), status)


def public_flag(data: dict, default: bool) -> bool:
    """The body's "public": JSON true or false (absent or null: the call's default). It was read
    for its truth, so "public": "false" or "no" published a note meant for staff; now any other
    value is refused, naming the field."""
    value = data.get("public")
    if value is None:
        return default
    if not isinstance(value, bool):
        raise ValidationFailed([RuleError(
            "Public: must be true or false.", "แสดงต่อสาธารณะ: ต้องเป็น true หรือ false",
            code="not_a_boolean", field="public")])
    return value


def api_actor() -> Actor:
    actor = current_actor()
    return Actor(actor.user_id, actor.agency_id, actor.role_names, actor.label, EventSource.API, request.remote_addr)


class CaseApi(ModelRestApi):
    resource_name = "cases"
    allow_browser_login = True
    datamodel = CappedCountInterface(Case)
    class_permission_name = "Case"
    base_permissions = CASE_PERMISSIONS
    method_permission_name = {
        "get": "read", "get_list": "read", "info": "read", "timeline": "read",
        "post": "write", "put": "write", "status": "write", "forward": "write", "reopen": "write",
        "note": "write", "assign": "assign", "links": "read", "link": "write", "unlink": "write",
    }
    include_route_methods = {"get", "get_list", "info", "post", "put", "timeline", "status", "forward", "reopen",
                             "note", "assign", "links", "link", "unlink"}
    base_filters = scope_filters()
    base_order = ("submitted_at", "desc")
    list_columns = ["id", "tracking_code", "agency.code", "case_type.code", "kind", "status", "title", "province",
                    "submitted_at", "due_at", "sla_flag", "assignee.username", "version"]
    show_columns = CASE_COLUMNS
    add_model_schema = CaseCreateSchema()
    edit_model_schema = CaseUpdateSchema()
    # What _info describes: the bodies' own fields (the default, every column, is not what they take).
    add_columns = list(CaseCreateSchema._declared_fields)
    edit_columns = list(CaseUpdateSchema._declared_fields)
    description_columns = {name: field.metadata["description"] for name, field in
                           CaseUpdateSchema._declared_fields.items() if field.metadata.get("description")}
    search_columns = ["tracking_code", "status", "kind", "case_type", "sla_flag", "province", "submitted_at",
                      "due_at", "assignee", "external_ref", "title", "channel", "priority",
                      "agency", "closed_at", "satisfaction"]
    order_columns = ["tracking_code", "status", "submitted_at", "due_at", "sla_flag", "province"]
    openapi_spec_tag = "Cases"
    openapi_spec_methods = {}

    @staticmethod
    def _error(error: RuleError):
        return json_error(error.http_status, error.as_dict())

    def _handle_filters_args(self, rison_args):
        """Filters on times take ISO 8601 (2026-11-24, 2026-11-24T09:00, with or without an offset;
        without one, Bangkok time); anything else is refused with a 400 rather than dropped."""
        self._check_filter_operators(rison_args.get("filters") or [])
        filters = super()._handle_filters_args(rison_args)
        for index, (flt, value) in enumerate(zip(filters.filters, filters.values)):
            if not self.datamodel.is_datetime(flt.column_name) or value in (None, ""):
                continue
            try:
                filters.values[index] = parse_instant(value).isoformat()
            except (TypeError, ValueError):
                raise RuleError(
                    f"Filter on {flt.column_name}: '{str(value)[:40]}' is not a date or time; use ISO 8601, "
                    "e.g. 2026-11-24 or 2026-11-24T09:00:00+07:00.",
                    f"ตัวกรอง {flt.column_name}: '{str(value)[:40]}' ไม่ใช่วันที่หรือเวลา กรุณาใช้รูปแบบ ISO 8601 "
                    "เช่น 2026-11-24 หรือ 2026-11-24T09:00:00+07:00", code="invalid_filter", field=flt.column_name,
                ) from None
        return filters

    def _get_field_info(self, field, filter_rel_field, page=None, page_size=None):
        """_info's entry for a field; no description is "" (translated, "" is the catalogue's header)."""
        info = super()._get_field_info(field, filter_rel_field, page=page, page_size=page_size)
        if not self.description_columns.get(field.name):
            info["description"] = ""
        return info

    def _check_filter_operators(self, filters: list) -> None:
        """An operator the column does not take is refused (400), where Flask-AppBuilder dropped
        the filter and answered the whole list as if it had not been asked; so is a value a number
        column cannot hold."""
        allowed = self._filters.get_search_filters()
        for flt in filters:
            if not isinstance(flt, dict) or flt.get("col") not in allowed:
                continue  # Flask-AppBuilder answers these itself (an unknown column is its 400)
            operators = [f.arg_name for f in allowed[flt["col"]]]
            column = flt["col"]
            if flt.get("opr") not in operators:
                shown = str(flt.get("opr"))[:20]
                raise RuleError(
                    f"Filter on {column}: no operator '{shown}'; use one of: {', '.join(operators)}.",
                    f"ตัวกรอง {column}: ไม่มีตัวดำเนินการ '{shown}' ใช้ได้: {', '.join(operators)}",
                    code="invalid_filter", field=column)
            # A number column (or a record's id) compared with a word or a number past any integer
            # failed in the database: a 500 where the caller's mistake is a 400.
            if (self.datamodel.is_integer(column) or self.datamodel.is_relation(column)) \
                    and flt.get("value") not in (None, "") and database_integer(flt.get("value")) is None:
                shown = str(flt.get("value"))[:40]
                raise RuleError(
                    f"Filter on {column}: '{shown}' is not a whole number a record can hold.",
                    f"ตัวกรอง {column}: '{shown}' ไม่ใช่จำนวนเต็มที่ระเบียนมีได้", code="invalid_filter", field=column)

    def get_list_headless(self, **kwargs):
        try:
            self._check_page_args(kwargs.get("rison") or {})
            return super().get_list_headless(**kwargs)
        except RuleError as error:
            return self._error(error)

    @staticmethod
    def _check_page_args(rison_args: dict) -> None:
        """A page number that is not a whole number from 0 to MAX_PAGE_NUMBER, or a page size that
        is not a whole number, is a 400, where one past any integer reached the database (a 500).
        Flask-AppBuilder brings a page size past its bounds (a negative one too) to the largest."""
        if "page" in rison_args:
            number = database_integer(rison_args["page"])
            if number is None or not 0 <= number <= MAX_PAGE_NUMBER:
                shown = str(rison_args["page"])[:40]
                raise RuleError(f"page: '{shown}' is not a whole number from 0 to {MAX_PAGE_NUMBER:,}.",
                                f"page: '{shown}' ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง {MAX_PAGE_NUMBER:,}",
                                code="invalid_page", field="page")
        if "page_size" in rison_args and database_integer(rison_args["page_size"]) is None:
            shown = str(rison_args["page_size"])[:40]
            raise RuleError(f"page_size: '{shown}' is not a whole number.",
                            f"page_size: '{shown}' ต้องเป็นจำนวนเต็ม", code="invalid_page", field="page_size")

    def add_apispec_components(self, api_spec) -> None:
        """The case id in the path, described once for every action's OpenAPI entry; the one error shape."""
        super().add_apispec_components(api_spec)
        try:
            api_spec.components.parameter("case_pk", "path", {
                "name": "pk", "required": True, "schema": {"type": "integer"}, "description": "The case's id"})
        except DuplicateComponentNameError:
            pass
        document_errors(api_spec)
        for name, schema in API_SCHEMAS.items():
            api_spec.components.schemas[name] = schema
        for name in (self.list_model_schema_name, self.show_model_schema_name):
            properties = api_spec.components.schemas[name]["properties"]
            if "$ref" in properties.get("assignee", {}):  # nobody assigned: null
                properties["assignee"] = {"allOf": [properties["assignee"]], "nullable": True}

    def operation_helper(self, path=None, operations=None, methods=None, func=None, **kwargs):
        """Every operation lists the errors it can answer (any call can be refused with 400, 401 or
        403; one on a case, with 404; a write, with 422), each in the one error shape; and the
        calls that answer with the case say so."""
        super().operation_helper(path=path, operations=operations, methods=methods, func=func, **kwargs)
        for method, operation in operations.items():
            # Status codes as text: YAML reads `200:` as a number, and apispec would merge the two.
            responses = operation["responses"] = {str(k): v for k, v in operation.get("responses", {}).items()}
            errors = ["400", "401", "403"] + (["404"] if "{pk}" in (path or "") else [])
            if method in ("post", "put") and func.__name__ != "info":
                errors.append("422")
            for status in errors:
                responses.setdefault(status, {"$ref": f"#/components/responses/{status}"})
            for status, response in responses.items():
                if str(status)[0] in "45" and "$ref" not in response:
                    response.setdefault("content", ERROR_CONTENT)
            ok = "201" if func.__name__ == "post" else "200"
            if func.__name__ in CASE_ANSWERS and ok in responses:
                responses[ok]["content"] = CASE_ANSWER
            # Flask-AppBuilder's generic words, put right: ids are numbers, _info's columns a list.
            answer = responses.get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
            fields = answer.get("properties", {})
            if func.__name__ == "get_list":
                fields["ids"]["items"] = {"type": "integer"}
                fields["count"] = {"type": "integer", "description": "How many cases match (10,001 means more "
                                                                     "than 10,000: the count stops there)"}
            elif func.__name__ == "get":
                fields["id"] = {"type": "integer", "description": "The case's id"}
            elif func.__name__ == "info":
                fields["add_columns"] = fields["edit_columns"] = {"type": "array", "items": INFO_FIELD}

    def _json(self) -> dict | None:
        """The body as a JSON object, None if it is not one; too large a body raises
        RequestEntityTooLarge (Flask-AppBuilder's @safe would answer that with a 500)."""
        data = request.get_json(silent=True)
        return data if isinstance(data, dict) else None

    def _result(self, case: Case, code: int = 200):
        return self.response(code, id=case.id, result=self.show_model_schema.dump(case, many=False))

    def _run(self, action, code: int = 200, answer=None):
        """`action(actor, body)` on the request's JSON body; its result answered as the case
        (the default) or by `answer(result)`; a refusal as JSON with its status."""
        try:
            data = self._json()
        except RequestEntityTooLarge:
            return json_error(413, too_large_body())
        if data is None:
            return json_error(400, NOT_JSON)
        return self._read(lambda actor: action(actor, data), answer or (lambda case: self._result(case, code)))

    def _read(self, action, answer):
        """`action(actor)`; its result answered by `answer(result)`, a refusal as JSON with its status."""
        try:
            result = action(api_actor())
        except RuleError as error:
            return self._error(error)
        return answer(result)

    def post_headless(self):
        return self._run(lambda actor, data: case_service.create_case(actor, data), 201)

    @expose("/<int:pk>", methods=["PUT"])
    @protect()
    @safe
    @permission_name("put")
    def put(self, pk):
        """Edit a case: any of its fields, and the version you read.
        ---
        put:
          parameters:
          - case_pk
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  $ref: '#/components/schemas/{{self.__class__.__name__}}.put'
          responses:
            200: {description: The case after the edit}
            409: {description: The case changed since the version sent}
        """
        # The case id is a number here as in GET (Flask-AppBuilder's edit took any text, so
        # GET /cases/abc answered 405 instead of 404).
        return self.put_headless(pk)

    def put_headless(self, pk):
        def update(actor, data):
            data = dict(data)
            version = data.pop("version", None)
            return case_service.update_case(actor, pk, data, expected_version=version)

        return self._run(update)

    @expose("/<pk>/status", methods=["POST"])
    @protect()
    @safe
    @permission_name("status")
    def status(self, pk):
        """Move a case to another status.
        ---
        post:
          parameters:
          - case_pk
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [status]
                  properties:
                    status: {type: string, enum: [received, in_progress, waiting_applicant, resolved, rejected, cancelled]}
                    note: {type: string}
                    public: {type: boolean}
                    version: {type: integer}
          responses:
            200: {description: The case after the move}
            404: {$ref: '#/components/responses/404'}
            409: {description: "The move is not allowed, or the case changed since version"}
            422: {$ref: '#/components/responses/422'}
        """
        return self._run(lambda actor, d: case_service.change_status(
            actor, pk, str(d.get("status", "")), note=d.get("note"), public=public_flag(d, True),
            expected_version=d.get("version")))

    @expose("/<pk>/forward", methods=["POST"])
    @protect()
    @safe
    @permission_name("forward")
    def forward(self, pk):
        """Forward a case to another agency.
        ---
        post:
          parameters:
          - case_pk
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [agency, note]
                  properties:
                    agency: {type: string, description: Agency code}
                    note: {type: string, description: Why the case is forwarded}
                    public: {type: boolean, default: false, description: Show the note on the status page}
                    version: {type: integer}
          responses:
            200: {description: The case after forwarding}
            404: {$ref: '#/components/responses/404'}
            409: {description: The case cannot be forwarded}
        """
        return self._run(lambda actor, d: case_service.forward_case(
            actor, pk, d.get("agency"), note=d.get("note"), public=public_flag(d, False),
            expected_version=d.get("version")))

    @expose("/<pk>/reopen", methods=["POST"])
    @protect()
    @safe
    @permission_name("reopen")
    def reopen(self, pk):
        """Reopen a closed case.
        ---
        post:
          parameters:
          - case_pk
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  required: [note]
                  properties:
                    note: {type: string, description: Why the case is reopened}
                    public: {type: boolean, default: false, description: Show the note on the status page}
                    version: {type: integer}
          responses:
            200: {description: The reopened case}
            404: {$ref: '#/components/responses/404'}
            409: {description: The case is not closed}
        """
        return self._run(lambda actor, d: case_service.reopen_case(
            actor, pk, note=d.get("note"), public=public_flag(d, False), expected_version=d.get("version")))

    @expose("/<pk>/assign", methods=["POST"])
    @protect()
    @safe
    @permission_name("assign")
    def assign(self, pk):
        """Assign a case to an officer of its agency (null to unassign).
        ---
        post:
          parameters:
          - case_pk
          requestBody:
            content:
              application/json:
                schema:
                  type: object
                  properties:
                    assignee_id: {type: integer, nullable: true}
                    version: {type: integer}
          responses:
            200: {description: The case after assignment}
            404: {$ref: '#/components/responses/404'}
        """
        return self._run(lambda actor, d: case_service.assign_case(
            actor, pk, d.get("assignee_id"), expected_version=d.get("version")))

    @expose("/<pk>/notes", methods=["POST"])
    @protect()
    @safe
    @permission_name("note")
    def note(self, pk):
        """Add a public or internal note to a case's timeline.
        ---
        post:
          parameters:
          - case_pk
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [note]
                  properties:
                    note: {type: string}
                    public: {type: boolean}
          responses:
            201:
              description: The note was added
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: integer, description: The timeline event's id}
            404: {$ref: '#/components/responses/404'}
        """
        return self._run(lambda actor, d: case_service.add_note(actor, pk, d.get("note"),
                                                                public=public_flag(d, False)),
                         answer=lambda event: self.response(201, id=event.id))

    @expose("/<pk>/timeline", methods=["GET"])
    @protect()
    @safe
    @permission_name("timeline")
    def timeline(self, pk):
        """The case's timeline, oldest first.
        ---
        get:
          parameters:
          - case_pk
          responses:
            200:
              description: Timeline events
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      result: {type: array, items: {$ref: '#/components/schemas/TimelineEvent'}}
            404: {$ref: '#/components/responses/404'}
        """
        return self._read(lambda actor: case_service.timeline(actor, pk), lambda events: self.response(200, result=[{
            "id": e.id, "at": e.at.isoformat(), "kind": e.kind, "source": e.source, "actor": e.actor_label,
            "from_status": e.from_status, "to_status": e.to_status,
            "from_agency": e.from_agency.code if e.from_agency else None,
            "to_agency": e.to_agency.code if e.to_agency else None,
            "note": e.note, "public": e.public, "changes": e.changes, "origin": e.origin,
        } for e in events]))

    @expose("/<pk>/links", methods=["GET"])
    @protect()
    @safe
    @permission_name("links")
    def links(self, pk):
        """The case's linked cases, whichever agencies hold them. Of a case the caller may not
        open, only what its public status page shows (no title).
        ---
        get:
          parameters:
          - case_pk
          responses:
            200:
              description: Linked cases
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      result: {type: array, items: {$ref: '#/components/schemas/CaseLink'}}
            404: {$ref: '#/components/responses/404'}
        """
        return self._read(lambda actor: case_links.links_of_case(actor, pk), lambda links: self.response(200, result=[{
            "id": link.link_id, "kind": link.kind, "made_here": link.made_here, "tracking_code": link.tracking_code,
            "agency": link.agency_code, "case_type": link.case_type_code, "status": link.status, "title": link.title,
            "case_id": link.case_id if link.may_open else None, "note": link.note, "made_by": link.made_by,
            "made_at": link.made_at.isoformat(),
        } for link in links]))

    @expose("/<pk>/links", methods=["POST"])
    @protect()
    @safe
    @permission_name("link")
    def link(self, pk):
        """Link the case to any agency's case by its tracking code.
        ---
        post:
          parameters:
          - case_pk
          requestBody:
            required: true
            content:
              application/json:
                schema:
                  type: object
                  required: [code, kind]
                  properties:
                    code: {type: string, description: the other case's tracking code}
                    kind: {type: string, enum: [related, duplicate], description: duplicate means this case repeats it}
                    note: {type: string, maxLength: 500}
          responses:
            201:
              description: The cases were linked
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      id: {type: integer, description: The link's id}
            400: {description: "The case itself, the two cases already linked, or too many links"}
            422: {$ref: '#/components/responses/422'}
            404: {$ref: '#/components/responses/404'}
        """
        return self._run(lambda actor, d: case_links.link_cases(actor, pk, d.get("code"), d.get("kind"),
                                                                note=d.get("note")),
                         answer=lambda link: self.response(201, id=link.id))

    @expose("/<pk>/links/<int:link_id>", methods=["DELETE"])
    @protect()
    @safe
    @permission_name("unlink")
    def unlink(self, pk, link_id):
        """Remove a link the case's agency made.
        ---
        delete:
          parameters:
          - case_pk
          - {name: link_id, in: path, required: true, schema: {type: integer}}
          responses:
            200:
              description: The link was removed
              content:
                application/json:
                  schema:
                    type: object
                    properties:
                      message: {type: string, enum: [removed]}
            404: {$ref: '#/components/responses/404'}
        """
        return self._read(lambda actor: case_links.unlink(actor, pk, link_id),
                          lambda _done: self.response(200, message="removed"))

"""Request and response bodies of the HTTP API (pydantic lives only here, at the edge).

Field names follow yente where an endpoint mirrors yente; our additions are marked "extra" in
their descriptions and are optional for clients to read. Response models describe the JSON the
routes build directly (routes return pre-rendered JSON for speed; the schema is for clients).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

# -- shared ----------------------------------------------------------------------------------------


class ErrorResponse(BaseModel):
    detail: str = Field(..., examples=["no entity 'x' in the loaded lists"])


class FieldProblem(BaseModel):
    field: str = Field(..., examples=["queries.q1.schema"])
    message: str = Field(..., examples=["Field required"])


class ValidationErrorResponse(BaseModel):
    """A request that does not fit the documented shape (HTTP 422)."""

    detail: str = Field(..., examples=["invalid request: queries.q1.schema: Field required"])
    errors: list[FieldProblem] = []


class StatusResponse(BaseModel):
    status: str = "ok"


class TotalSpec(BaseModel):
    value: int = Field(..., examples=[3])
    relation: str = Field("eq", examples=["eq"])


class ListingModel(BaseModel):
    """Extra: why and since when an entity is listed."""

    dataset: str = Field(..., examples=["us_ofac_sdn"])
    authority: str = Field(..., examples=["us"])
    program: str | None = Field(None, examples=["RUSSIA-EO14024"])
    listed_on: str | None = Field(None, examples=["2022-03-24"])
    reason: str | None = None


class EntityResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(..., examples=["us_ofac_sdn-36051"])
    caption: str = Field(..., examples=["KAMAZ PUBLICLY TRADED COMPANY"])
    schema_: str = Field(..., alias="schema", examples=["Company"])
    properties: dict[str, list[Any]] = Field(..., examples=[{"name": ["KAMAZ PUBLICLY TRADED COMPANY"]}])
    datasets: list[str] = Field([], examples=[["us_ofac_sdn"]])
    referents: list[str] = []
    target: bool = False
    first_seen: str | None = None
    last_seen: str | None = None
    last_change: str | None = None
    listings: list[ListingModel] = Field([], description="Extra: listings across the loaded lists.")


class FeatureResultModel(BaseModel):
    """One feature's part in a score, in yente 5's shape (nomenklatura's ``FeatureResult``)."""

    model_config = ConfigDict(extra="allow")

    score: float = Field(..., examples=[0.97])
    detail: str | None = Field(None, description="Our plain-words account: which names, how they align.")
    query: str | None = None
    candidate: str | None = None
    weight: float | None = Field(None, description="Extra: the feature's coefficient in the algorithm.")


class ScoredEntityResponse(EntityResponse):
    score: float = Field(..., examples=[0.97])
    match: bool = Field(..., examples=[True])
    explanations: dict[str, FeatureResultModel] = Field(
        {}, description="Feature -> its score and explanation, for every feature that found something."
    )
    features: dict[str, float] = Field({}, description="Extra: every feature's value, zeros included.")


# -- /match -------------------------------------------------------------------------------------------


class EntityExample(BaseModel):
    """A query: an entity described by example, as in yente."""

    id: str | None = Field(None, examples=["my-customer-42"])
    schema_: str = Field(..., alias="schema", examples=["Person"])
    properties: dict[str, str | list[Any]] = Field(
        ..., examples=[{"name": ["Vladimir Putin"], "birthDate": ["1952-10-07"], "nationality": ["ru"]}]
    )


class EntityMatchQuery(BaseModel):
    queries: dict[str, EntityExample] = Field(
        ...,
        examples=[{"q1": {"schema": "Person", "properties": {"name": ["Sergei Sobyanin"]}}}],
    )
    weights: dict[str, float] = Field({}, description="Not supported: must be empty.")
    config: dict[str, Any] = Field({}, description="Not supported: must be empty.")


class EntityMatches(BaseModel):
    status: int = 200
    results: list[ScoredEntityResponse]
    total: TotalSpec
    query: dict[str, Any]


class FeatureDoc(BaseModel):
    description: str | None = None
    coefficient: float
    url: str


class EntityMatchResponse(BaseModel):
    model_config = ConfigDict(extra="allow")

    responses: dict[str, EntityMatches]
    matcher: dict[str, FeatureDoc]
    limit: int


# -- /search --------------------------------------------------------------------------------------------


class SearchFacetItem(BaseModel):
    name: str
    label: str
    count: int


class SearchFacet(BaseModel):
    label: str
    values: list[SearchFacetItem]


class SearchResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[EntityResponse]
    facets: dict[str, SearchFacet]


# -- /entities/{id}/adjacent ---------------------------------------------------------------------------


class AdjacentResultsResponse(BaseModel):
    limit: int
    offset: int = 0
    total: TotalSpec
    results: list[dict[str, Any] | str]


class EntityAdjacentResponse(BaseModel):
    entity: EntityResponse
    adjacent: dict[str, AdjacentResultsResponse]


# -- /algorithms, /catalog -----------------------------------------------------------------------------------


class AlgorithmDocs(BaseModel):
    name: str
    description: str | None = None
    config: dict[str, Any] = {}
    features: dict[str, FeatureDoc]


class AlgorithmModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    description: str | None = None
    features: dict[str, FeatureDoc] = Field(..., description="Deprecated in yente: see `docs`.")
    docs: AlgorithmDocs
    aliases: list[str] = Field([], description="Extra: the yente/nomenklatura names read as this one.")


class AlgorithmResponse(BaseModel):
    algorithms: list[AlgorithmModel]
    default: str
    best: str


class DatasetModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    name: str
    title: str
    summary: str | None = None
    url: str | None = None
    load: bool
    entities_url: str | None = None
    version: str
    index_version: str | None = None
    index_current: bool = False
    children: list[str]


class DataCatalogModel(BaseModel):
    datasets: list[DatasetModel]
    current: list[str]
    outdated: list[str]
    index_stale: bool = False


# -- our own -------------------------------------------------------------------------------------------------


class ListStatusModel(BaseModel):
    model_config = ConfigDict(extra="allow")

    source: str
    format: str
    version: int
    published: str | None
    loaded_at: str
    entities: int
    names: int
    relations: int
    sha256: str
    age_days: int | None
    stale: bool
    dated_by: str
    warnings: int
    loaded: str | None = None
    closed: str | None = None
    kind: str = "sanction"
    note: str = ""


class UpdatezResponse(StatusResponse):
    model_config = ConfigDict(extra="allow")


class ReadyResponse(BaseModel):
    status: str = "ok"
    versions: list[int]
    lists: int


class UpdateRequest(BaseModel):
    bundled: bool = Field(
        False, description="Load the snapshot shipped with the package instead of downloading."
    )
    sources: list[str] | None = Field(None, description="Only these sources (default: all).")


class UpdateResponse(BaseModel):
    loaded: list[ListStatusModel]
    failures: list[str]


class ScanRequest(BaseModel):
    text: str = Field(..., examples=["KamAZ and Moskvich signed an agreement in Moscow."])
    threshold: float | None = Field(None, ge=0.0, le=1.0)


class GraphRequest(BaseModel):
    """Entities and relations (FtM JSON entities, or our own relation rows) plus the parties to check."""

    model_config = ConfigDict(extra="allow")

    entities: list[dict[str, Any]] = Field(
        [], description="FtM entities (JSON objects), including interval ones."
    )
    relations: list[dict[str, Any]] = Field([], description="Relations as {subject, object, kind, share}.")
    targets: list[str] = Field([], description="Ids of the parties to assess (default: every party given).")
    jurisdiction: str | None = Field(None, examples=["us"])

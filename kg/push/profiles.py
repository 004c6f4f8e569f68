"""Where each store serves the SPARQL 1.1 protocols, relative to the ``--endpoint`` URL.

Documented in docs/stores.md with example endpoint URLs; Oxigraph and Virtuoso are
exercised by the integration tests, the others follow their documented endpoints.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["StoreProfile", "StoreURLs", "PROFILES", "get_profile"]


@dataclass(frozen=True)
class StoreURLs:
    """The three URLs a push talks to."""

    query: str
    update: str
    graph_store: str | None  # None: the store has no Graph Store HTTP Protocol endpoint


@dataclass(frozen=True)
class StoreProfile:
    """A store's protocol endpoints as paths below the URL the user gives with ``--endpoint``."""

    name: str
    endpoint_example: str
    query_path: str
    update_path: str
    graph_store_path: str | None
    auth: str = "basic"  # "basic" or "digest": what the store's authenticated endpoints use
    default_graph_is_union: bool = False  # a query's default graph = all graphs merged
    # Virtuoso serves anonymous and authenticated endpoints at different paths.
    anonymous_update_path: str | None = None
    anonymous_graph_store_path: str | None = None

    def urls(self, endpoint: str, *, authenticated: bool) -> StoreURLs:
        """The URLs below ``endpoint``.

        Examples
        --------
        >>> get_profile("oxigraph").urls("http://localhost:7878/", authenticated=False).update
        'http://localhost:7878/update'
        >>> get_profile("virtuoso").urls("http://localhost:8890", authenticated=True).graph_store
        'http://localhost:8890/sparql-graph-crud-auth'
        """
        base = endpoint.rstrip("/")
        update = self.update_path if authenticated or self.anonymous_update_path is None else self.anonymous_update_path
        gsp = self.graph_store_path
        if not authenticated and self.anonymous_graph_store_path is not None:
            gsp = self.anonymous_graph_store_path
        return StoreURLs(base + self.query_path, base + update, None if gsp is None else base + gsp)


PROFILES: dict[str, StoreProfile] = {
    profile.name: profile
    for profile in (
        # Any SPARQL 1.1 store: --endpoint is the one URL for query, update and graph store.
        StoreProfile("generic", "http://localhost:8080/sparql", "", "", ""),
        StoreProfile("oxigraph", "http://localhost:7878", "/query", "/update", "/store"),
        StoreProfile(
            "virtuoso",
            "http://localhost:8890",
            "/sparql",
            "/sparql-auth",
            "/sparql-graph-crud-auth",
            auth="digest",
            default_graph_is_union=True,
            anonymous_update_path="/sparql",
            anonymous_graph_store_path="/sparql-graph-crud",
        ),
        StoreProfile("fuseki", "http://localhost:3030/DATASET", "/query", "/update", "/data"),
        StoreProfile(
            "graphdb",
            "http://localhost:7200/repositories/REPOSITORY",
            "",
            "/statements",
            "/rdf-graphs/service",
            default_graph_is_union=True,
        ),
        # Blazegraph's REST API is not the Graph Store Protocol: push with --protocol update.
        StoreProfile(
            "blazegraph",
            "http://localhost:9999/blazegraph/namespace/kb",
            "/sparql",
            "/sparql",
            None,
            default_graph_is_union=True,
        ),
    )
}


def get_profile(name: str) -> StoreProfile:
    """The profile called ``name``, or a `ValueError` listing the known ones."""
    try:
        return PROFILES[name]
    except KeyError:
        raise ValueError(f"unknown store {name!r}; known: {', '.join(PROFILES)}") from None

"""The DynamoDB engine: the same tables and GSIs on real DynamoDB (or a compatible server).

boto3 is synchronous, so every call runs in a worker thread (``asyncio.to_thread``); the
client itself is thread-safe. Credentials come the usual AWS way (environment, profile, role).

botocore retries a request whose answer was lost or came too late, though DynamoDB may have
applied it already. So a transaction carries a ``ClientRequestToken`` (its retries are
answered as the first was, not applied again), and a conditional put, update or delete whose
retry fails its condition checks whether the item is what that write made of it: if so, the
failure is its own earlier success.
"""

from __future__ import annotations

import asyncio
import re
import uuid
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import boto3
from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from .conditions import (
    AllOf,
    AttrEquals,
    AttrNotExists,
    Condition,
    ItemExists,
    ItemNotExists,
    SortKeyCondition,
)
from .engine import (
    Engine,
    PreparedAction,
    PreparedCheck,
    PreparedDelete,
    PreparedPut,
    PreparedQuery,
    PreparedUpdate,
)
from .errors import (
    ConditionFailed,
    ItemTooLarge,
    StorageError,
    StorageUnavailable,
    TransactionCancelled,
    ValidationError,
)
from .items import Item, Key
from .tables import ALL_TABLES, TableRegistry, TableSpec

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()
_RETRYABLE = {
    "ProvisionedThroughputExceededException",
    "ThrottlingException",
    "RequestLimitExceeded",
    "InternalServerError",
    "ServiceUnavailable",
    "TransactionInProgressException",
    "TransactionConflictException",
}


def _to_dynamo(value: Any) -> Any:
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, dict):
        return {k: _to_dynamo(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_to_dynamo(v) for v in value]
    return value


def _from_dynamo(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: _from_dynamo(v) for k, v in value.items()}
    if isinstance(value, list | set):
        return [_from_dynamo(v) for v in value]
    return value


def serialize(item: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _SERIALIZER.serialize(_to_dynamo(v)) for k, v in item.items()}


def deserialize(item: Mapping[str, Any]) -> Item:
    return {k: _from_dynamo(_DESERIALIZER.deserialize(v)) for k, v in item.items()}


class _Expr:
    """Builds one expression's placeholder maps (#n0 for names, :v0 for values)."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def name(self, attr: str) -> str:
        for placeholder, existing in self.names.items():
            if existing == attr:
                return placeholder
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attr
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = _SERIALIZER.serialize(_to_dynamo(value))
        return placeholder

    def condition(self, table: TableSpec, cond: Condition) -> str:
        if isinstance(cond, ItemExists):
            return f"attribute_exists({self.name(table.pk.name)})"
        if isinstance(cond, ItemNotExists):
            return f"attribute_not_exists({self.name(table.pk.name)})"
        if isinstance(cond, AttrEquals):
            return f"{self.name(cond.name)} = {self.value(cond.value)}"
        if isinstance(cond, AttrNotExists):
            return f"attribute_not_exists({self.name(cond.name)})"
        if isinstance(cond, AllOf):
            return " AND ".join(f"({self.condition(table, c)})" for c in cond.conditions)
        raise ValidationError(f"unknown condition {cond!r}")

    def sort_key(self, attr: str, cond: SortKeyCondition) -> str:
        n = self.name(attr)
        if cond.op == "between":
            return f"{n} BETWEEN {self.value(cond.value)} AND {self.value(cond.upper)}"
        if cond.op == "begins_with":
            return f"begins_with({n}, {self.value(cond.value)})"
        return f"{n} {cond.op} {self.value(cond.value)}"

    def apply_to(self, request: dict[str, Any]) -> dict[str, Any]:
        if self.names:
            request["ExpressionAttributeNames"] = self.names
        if self.values:
            request["ExpressionAttributeValues"] = self.values
        return request


def _cancellation_reasons(exc: ClientError) -> list[str | None]:
    raw = exc.response.get("CancellationReasons")
    if raw:
        return [None if r.get("Code") in (None, "None") else r["Code"] for r in raw]
    message = exc.response.get("Error", {}).get("Message", "")
    match = re.search(r"\[(.*)\]", message)
    if not match:
        return []
    return [None if p.strip() == "None" else p.strip() for p in match.group(1).split(",")]


class RetriedConditionFailed(ConditionFailed):
    """A condition failed on botocore's retry of a write: maybe because of the write's own
    first attempt, applied though its answer was lost. ``current`` is the item as it is."""

    def __init__(self, current: Item | None) -> None:
        super().__init__("the conditional request failed")
        self.current = current


def _storage_error(exc: ClientError) -> StorageError:
    code = exc.response.get("Error", {}).get("Code", "")
    message = exc.response.get("Error", {}).get("Message", "")
    if code == "ConditionalCheckFailedException":
        if exc.response.get("ResponseMetadata", {}).get("RetryAttempts", 0) > 0:
            current: dict[str, Any] | None = exc.response.get("Item")  # type: ignore[assignment]
            return RetriedConditionFailed(deserialize(current) if current else None)
        return ConditionFailed("the conditional request failed")
    if code == "TransactionCanceledException":
        return TransactionCancelled(_cancellation_reasons(exc))
    if code in _RETRYABLE:
        return StorageUnavailable(f"dynamodb: {code}")
    if code == "ValidationException" and "size" in message.lower():
        return ItemTooLarge(message)
    if code in ("ValidationException", "ResourceNotFoundException", "SerializationException"):
        return ValidationError(f"dynamodb: {message or code}")
    return StorageUnavailable(f"dynamodb: {code}: {message}")


class DynamoDBEngine(Engine):
    """Runs the table model on DynamoDB through boto3."""

    overlapping_reads = True

    def __init__(
        self,
        *,
        endpoint_url: str | None = None,
        region: str = "us-east-1",
        table_prefix: str = "",
        tables: TableRegistry = ALL_TABLES,
        client: Any = None,
    ) -> None:
        super().__init__(tables)
        self.table_prefix = table_prefix
        # A session of its own: credentials are read from the environment as it is now, not
        # from boto3's process-wide default session cached by an earlier engine.
        self._client = client or boto3.session.Session().client(
            "dynamodb",
            endpoint_url=endpoint_url,
            region_name=region,
            config=Config(
                retries={"mode": "standard", "max_attempts": 4},
                connect_timeout=5,
                read_timeout=15,
                max_pool_connections=64,
            ),
        )

    def table_name(self, table: TableSpec) -> str:
        return f"{self.table_prefix}{table.name}"

    def _call_sync(self, operation: str, **request: Any) -> dict[str, Any]:
        try:
            response: dict[str, Any] = getattr(self._client, operation)(**request)
            return response
        except ClientError as exc:
            raise _storage_error(exc) from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"dynamodb: {exc}") from exc

    async def _call(self, operation: str, **request: Any) -> dict[str, Any]:
        return await asyncio.to_thread(self._call_sync, operation, **request)

    # -- table management ------------------------------------------------------------------

    def create_tables(self) -> list[str]:
        """Create every missing table and GSI (on-demand billing); safe to re-run.

        Returns the names of the tables and indexes it created.
        """
        created: list[str] = []
        existing = set(self._list_tables())
        for spec in self.tables:
            name = self.table_name(spec)
            if name not in existing:
                self._call_sync("create_table", **self._create_request(spec))
                self._client.get_waiter("table_exists").wait(TableName=name)
                created.append(name)
            else:
                created += self._add_missing_indexes(spec)
            if spec.ttl_attribute:
                self._enable_ttl(spec)
        return created

    def missing_tables(self) -> list[str]:
        """The names of the tables this model needs that do not exist yet."""
        existing = set(self._list_tables())
        return [self.table_name(s) for s in self.tables if self.table_name(s) not in existing]

    def _list_tables(self) -> list[str]:
        names: list[str] = []
        request: dict[str, Any] = {}
        while True:
            response = self._call_sync("list_tables", **request)
            names += response.get("TableNames", [])
            if "LastEvaluatedTableName" not in response:
                return names
            request["ExclusiveStartTableName"] = response["LastEvaluatedTableName"]

    def _create_request(self, spec: TableSpec) -> dict[str, Any]:
        request: dict[str, Any] = {
            "TableName": self.table_name(spec),
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": [
                {"AttributeName": a.name, "AttributeType": a.type} for a in spec.key_attrs()
            ],
            "KeySchema": _key_schema(spec.pk.name, spec.sk.name if spec.sk else None),
        }
        if spec.indexes:
            request["GlobalSecondaryIndexes"] = [
                {
                    "IndexName": i.name,
                    "KeySchema": _key_schema(i.pk.name, i.sk.name if i.sk else None),
                    "Projection": {"ProjectionType": "ALL"},
                }
                for i in spec.indexes
            ]
        return request

    def _add_missing_indexes(self, spec: TableSpec) -> list[str]:
        name = self.table_name(spec)
        table = self._call_sync("describe_table", TableName=name)["Table"]
        have = {g["IndexName"] for g in table.get("GlobalSecondaryIndexes", [])}
        added: list[str] = []
        for index in spec.indexes:
            if index.name in have:
                continue
            self._call_sync(
                "update_table",
                TableName=name,
                AttributeDefinitions=[
                    {"AttributeName": a.name, "AttributeType": a.type} for a in spec.key_attrs()
                ],
                GlobalSecondaryIndexUpdates=[
                    {
                        "Create": {
                            "IndexName": index.name,
                            "KeySchema": _key_schema(
                                index.pk.name, index.sk.name if index.sk else None
                            ),
                            "Projection": {"ProjectionType": "ALL"},
                        }
                    }
                ],
            )
            added.append(f"{name}.{index.name}")
        return added

    def _enable_ttl(self, spec: TableSpec) -> None:
        name = self.table_name(spec)
        status = self._call_sync("describe_time_to_live", TableName=name)
        if status.get("TimeToLiveDescription", {}).get("TimeToLiveStatus") in (
            "ENABLED",
            "ENABLING",
        ):
            return
        self._call_sync(
            "update_time_to_live",
            TableName=name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": spec.ttl_attribute},
        )

    def describe(self, spec: TableSpec) -> dict[str, Any]:
        table: dict[str, Any] = self._call_sync("describe_table", TableName=self.table_name(spec))[
            "Table"
        ]
        return table

    # -- primitives ------------------------------------------------------------------------

    async def _get(self, table: TableSpec, key: Key) -> Item | None:
        response = await self._call(
            "get_item", TableName=self.table_name(table), Key=serialize(key), ConsistentRead=True
        )
        return deserialize(response["Item"]) if "Item" in response else None

    async def _batch_get(self, table: TableSpec, keys: list[Key]) -> list[Item]:
        name = self.table_name(table)
        out: list[Item] = []
        for start in range(0, len(keys), 100):
            pending: dict[str, Any] = {
                name: {
                    "Keys": [serialize(k) for k in keys[start : start + 100]],
                    "ConsistentRead": True,
                }
            }
            attempt = 0
            while pending:
                response = await self._call("batch_get_item", RequestItems=pending)
                out += [deserialize(i) for i in response.get("Responses", {}).get(name, [])]
                pending = response.get("UnprocessedKeys") or {}
                if pending:
                    attempt += 1
                    if attempt > 8:
                        raise StorageUnavailable("dynamodb: batch get kept being throttled")
                    await asyncio.sleep(min(0.05 * 2**attempt, 2.0))
        return out

    def _put_request(self, put: PreparedPut | PreparedPut) -> dict[str, Any]:
        request: dict[str, Any] = {
            "TableName": self.table_name(put.table),
            "Item": serialize(put.item),
        }
        if put.condition is not None:
            expr = _Expr()
            request["ConditionExpression"] = expr.condition(put.table, put.condition)
            expr.apply_to(request)
        return request

    async def _put(self, put: PreparedPut) -> None:
        try:
            await self._call("put_item", **_old_on_failure(self._put_request(put)))
        except RetriedConditionFailed as failed:
            if failed.current != deserialize(serialize(put.item)):
                raise

    async def _put_many(self, table: TableSpec, items: list[Item]) -> None:
        name = self.table_name(table)
        unique = list({tuple(str(i[n]) for n in table.key_names): i for i in items}.values())
        for start in range(0, len(unique), 25):
            pending: dict[str, Any] = {
                name: [{"PutRequest": {"Item": serialize(i)}} for i in unique[start : start + 25]]
            }
            attempt = 0
            while pending:
                response = await self._call("batch_write_item", RequestItems=pending)
                pending = response.get("UnprocessedItems") or {}
                if pending:
                    attempt += 1
                    if attempt > 8:
                        raise StorageUnavailable("dynamodb: batch write kept being throttled")
                    await asyncio.sleep(min(0.05 * 2**attempt, 2.0))

    def _update_request(self, update: PreparedUpdate) -> dict[str, Any]:
        expr = _Expr()
        parts: list[str] = []
        if update.sets:
            parts.append(
                "SET "
                + ", ".join(f"{expr.name(k)} = {expr.value(v)}" for k, v in update.sets.items())
            )
        if update.removes:
            parts.append("REMOVE " + ", ".join(expr.name(k) for k in update.removes))
        if update.add:
            parts.append(
                "ADD " + ", ".join(f"{expr.name(k)} {expr.value(v)}" for k, v in update.add.items())
            )
        request: dict[str, Any] = {
            "TableName": self.table_name(update.table),
            "Key": serialize(update.key),
        }
        if parts:
            request["UpdateExpression"] = " ".join(parts)
        if update.condition is not None:
            request["ConditionExpression"] = expr.condition(update.table, update.condition)
        return expr.apply_to(request)

    async def _update(self, update: PreparedUpdate) -> Item:
        request = _old_on_failure(self._update_request(update))
        try:
            response = await self._call("update_item", ReturnValues="ALL_NEW", **request)
        except RetriedConditionFailed as failed:
            if failed.current is None or not _update_shows_in(update, failed.current):
                raise
            return failed.current
        return deserialize(response.get("Attributes", {})) or dict(update.key)

    def _delete_request(self, delete: PreparedDelete | PreparedCheck) -> dict[str, Any]:
        request: dict[str, Any] = {
            "TableName": self.table_name(delete.table),
            "Key": serialize(delete.key),
        }
        if delete.condition is not None:
            expr = _Expr()
            request["ConditionExpression"] = expr.condition(delete.table, delete.condition)
            expr.apply_to(request)
        return request

    async def _delete(self, delete: PreparedDelete) -> Item | None:
        request = _old_on_failure(self._delete_request(delete))
        try:
            response = await self._call("delete_item", ReturnValues="ALL_OLD", **request)
        except RetriedConditionFailed as failed:
            if failed.current is not None:
                raise
            return None  # gone: deleted by this delete's first attempt (its answer was lost)
        return deserialize(response["Attributes"]) if response.get("Attributes") else None

    async def _query(self, query: PreparedQuery) -> tuple[list[Item], Key | None]:
        expr = _Expr()
        pk_name = query.index.pk.name if query.index else query.table.pk.name
        sk_attr = query.index.sk if query.index else query.table.sk
        key_expr = f"{expr.name(pk_name)} = {expr.value(query.pk)}"
        if query.sk is not None and sk_attr is not None:
            key_expr += " AND " + expr.sort_key(sk_attr.name, query.sk)
        request: dict[str, Any] = {
            "TableName": self.table_name(query.table),
            "KeyConditionExpression": key_expr,
            "ScanIndexForward": query.ascending,
            "Limit": query.limit,
        }
        if query.index is not None:
            request["IndexName"] = query.index.name
        else:
            request["ConsistentRead"] = True
        if query.start_key is not None:
            request["ExclusiveStartKey"] = serialize(query.start_key)
        response = await self._call("query", **expr.apply_to(request))
        items = [deserialize(i) for i in response.get("Items", [])]
        last = response.get("LastEvaluatedKey")
        return items, (deserialize(last) if last else None)

    async def _count(self, table: TableSpec, pk: Any, not_true: tuple[str, ...]) -> int:
        expr = _Expr()
        request: dict[str, Any] = {
            "TableName": self.table_name(table),
            "KeyConditionExpression": f"{expr.name(table.pk.name)} = {expr.value(pk)}",
            "Select": "COUNT",
            "ConsistentRead": True,
        }
        if not_true:
            true = expr.value(True)
            request["FilterExpression"] = " AND ".join(
                f"(attribute_not_exists({n}) OR {n} <> {true})"
                for n in (expr.name(name) for name in not_true)
            )
        expr.apply_to(request)
        total = 0
        while True:  # a query reads at most 1 MB a call
            response = await self._call("query", **request)
            total += int(response["Count"])
            if not response.get("LastEvaluatedKey"):
                return total
            request["ExclusiveStartKey"] = response["LastEvaluatedKey"]

    async def _scan(
        self, table: TableSpec, limit: int, start: Key | None
    ) -> tuple[list[Item], Key | None]:
        request: dict[str, Any] = {
            "TableName": self.table_name(table),
            "Limit": limit,
            "ConsistentRead": True,
        }
        if start is not None:
            request["ExclusiveStartKey"] = serialize(start)
        response = await self._call("scan", **request)
        last = response.get("LastEvaluatedKey")
        return [deserialize(i) for i in response.get("Items", [])], (
            deserialize(last) if last else None
        )

    async def _transact(self, actions: list[PreparedAction]) -> None:
        items: list[dict[str, Any]] = []
        for action in actions:
            if isinstance(action, PreparedPut):
                items.append({"Put": self._put_request(action)})
            elif isinstance(action, PreparedUpdate):
                items.append({"Update": self._update_request(action)})
            elif isinstance(action, PreparedDelete):
                items.append({"Delete": self._delete_request(action)})
            else:
                items.append({"ConditionCheck": self._delete_request(action)})
        # One token for the call: botocore's retries send it again, and DynamoDB answers a
        # repeat of a transaction it applied in the last 10 minutes without applying it again.
        # (botocore would fill in one of its own; this says so where the write is made.)
        await self._call(
            "transact_write_items", TransactItems=items, ClientRequestToken=str(uuid.uuid4())
        )

    async def close(self) -> None:
        self._client.close()


def _old_on_failure(request: dict[str, Any]) -> dict[str, Any]:
    """A conditional write asks for the item as it is when its condition fails (free)."""
    if "ConditionExpression" in request:
        request["ReturnValuesOnConditionCheckFailure"] = "ALL_OLD"
    return request


def _update_shows_in(update: PreparedUpdate, current: Item) -> bool:
    """Whether ``current`` holds every value ``update`` sets and none it removes. Its ADDs
    cannot be told apart from another writer's, so an update that only adds never matches."""
    if not update.sets and not update.removes:
        return False
    expected = deserialize(serialize(update.sets))
    return all(current.get(k) == v for k, v in expected.items()) and not any(
        k in current for k in update.removes
    )


def _key_schema(pk: str, sk: str | None) -> list[dict[str, str]]:
    schema = [{"AttributeName": pk, "KeyType": "HASH"}]
    if sk is not None:
        schema.append({"AttributeName": sk, "KeyType": "RANGE"})
    return schema

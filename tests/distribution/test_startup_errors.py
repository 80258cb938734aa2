"""Start-up problems a self-hosting user meets are one sentence saying what to run."""

import uuid

import pytest

from backend.changefeed.broker import check_broker_url
from backend.cli import check_dynamodb, main
from backend.config import StartupError, StorageSettings
from harness.ports import free_port


def test_a_missing_secret_on_dynamodb_is_one_sentence(monkeypatch, capsys):
    monkeypatch.delenv("GROWLINK_JWT_SECRET", raising=False)
    assert main(["serve", "--engine", "dynamodb"]) == 2
    err = capsys.readouterr().err
    assert "GROWLINK_JWT_SECRET is not set: run `export GROWLINK_JWT_SECRET=" in err
    assert "Traceback" not in err
    assert err.count("\n") == 1


def test_missing_aws_credentials_are_one_sentence(monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_PROFILE", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    with pytest.raises(StartupError, match=r"No AWS credentials found: run `aws configure`"):
        check_dynamodb(StorageSettings(engine="dynamodb", endpoint_url="http://127.0.0.1:9"))


def test_missing_tables_say_to_run_init_tables(dynamodb_server, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    settings = StorageSettings(
        engine="dynamodb",
        endpoint_url=dynamodb_server.url,
        table_prefix=f"t{uuid.uuid4().hex[:8]}-",
    )
    with pytest.raises(StartupError, match=r"serve --init-tables"):
        check_dynamodb(settings)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:6379/0", "redis://", "redis://host:0/0", "redis://host:6379/x"]
)
def test_a_malformed_broker_is_one_sentence(url, tmp_path, capsys):
    assert main(["serve", "--db", str(tmp_path / "g.db"), "--broker", url]) == 2
    err = capsys.readouterr().err
    assert "the broker must be redis://HOST:PORT/DB" in err
    assert err.count("\n") == 1


def test_a_broker_that_does_not_answer_is_one_sentence(tmp_path, capsys):
    url = f"redis://127.0.0.1:{free_port()}/0"
    assert main(["serve", "--db", str(tmp_path / "g.db"), "--broker", url]) == 2
    err = capsys.readouterr().err
    assert f"The broker at {url} does not answer" in err
    assert "start redis-server or fix --broker" in err
    assert err.count("\n") == 1


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://cache.example:6380"])
def test_a_well_formed_broker_is_accepted(url):
    assert check_broker_url(url) == url

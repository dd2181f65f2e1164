"""Directory sign-in (issue 8, point 4): LDAP / Active Directory through django-auth-ldap,
against a real OpenLDAP server (Debian's slapd) started for the test run on a free port with a
throw-away configuration. The directory checks the password; only people who exist in Duban get
in, and nobody is created."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest
from django.test import Client

from duban.orgs.models import User

from .conftest import web_login
from .test_oidc import free_port

SLAPD = shutil.which("slapd") or "/usr/sbin/slapd"
ldap = pytest.importorskip("ldap", reason="python-ldap is installed by requirements-ldap.txt")
BASE = "dc=duban,dc=test"
ADMIN = f"cn=admin,{BASE}"

CONFIG = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile {tmp}/slapd.pid
database mdb
maxsize 10485760
suffix "{base}"
rootdn "{admin}"
rootpw admin-secret
directory {tmp}/data
"""


@pytest.fixture(scope="module")
def directory(tmp_path_factory):
    if not shutil.which(SLAPD):
        pytest.skip("slapd is not installed (scripts/test.sh installs it as root)")
    tmp = tmp_path_factory.mktemp("slapd")
    (tmp / "data").mkdir()
    (tmp / "slapd.conf").write_text(CONFIG.format(tmp=tmp, base=BASE, admin=ADMIN))
    uri = f"ldap://127.0.0.1:{free_port()}"
    # -d keeps slapd in the foreground, so the test owns the process and ends it.
    proc = subprocess.Popen([SLAPD, "-f", str(tmp / "slapd.conf"), "-h", uri + "/", "-d", "0"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        conn = None
        for _ in range(100):
            try:
                conn = ldap.initialize(uri)
                conn.simple_bind_s(ADMIN, "admin-secret")
                break
            except ldap.SERVER_DOWN:
                if proc.poll() is not None:
                    raise RuntimeError(proc.stderr.read().decode())
                time.sleep(0.1)
        conn.add_s(BASE, [("objectClass", [b"dcObject", b"organization"]), ("o", [b"Duban"]), ("dc", [b"duban"])])
        conn.add_s(f"ou=people,{BASE}", [("objectClass", [b"organizationalUnit"]), ("ou", [b"people"])])
        for uid, password, name in [("wangmin", "dir-pass-1", "王敏"), ("outsider", "dir-pass-2", "外来人"),
                                    ("zhaowen", "dir-pass-3", "赵文")]:
            conn.add_s(f"uid={uid},ou=people,{BASE}", [
                ("objectClass", [b"inetOrgPerson"]), ("uid", [uid.encode()]), ("cn", [name.encode()]),
                ("sn", [name[0].encode()]), ("displayName", [name.encode()]), ("userPassword", [password.encode()]),
            ])
        conn.unbind_s()
        yield uri
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def ldap_settings(settings, directory):
    from duban.accounts.ldap import ldap_settings as make

    for name, value in make({
        "DUBAN_LDAP_SERVER_URI": directory, "DUBAN_LDAP_BIND_DN": ADMIN, "DUBAN_LDAP_BIND_PASSWORD": "admin-secret",
        "DUBAN_LDAP_USER_BASE": f"ou=people,{BASE}", "DUBAN_LDAP_USER_FILTER": "(uid=%(user)s)",
    }).items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "duban.accounts.ldap.DirectoryBackend"]
    return settings


def test_a_person_signs_in_with_the_directory_password(world, ldap_settings):
    person = world.office_head
    User.objects.filter(pk=person.pk).update(username="wangmin")
    c = Client()
    r = web_login(c, "wangmin", "dir-pass-1")
    assert r.status_code == 302 and r.url == "/"
    assert c.get("/").status_code == 200


def test_a_wrong_directory_password_is_refused_and_counted(world, ldap_settings):
    from axes.models import AccessAttempt

    User.objects.filter(pk=world.office_head.pk).update(username="wangmin")
    r = web_login(Client(), "wangmin", "wrong")
    assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()
    assert AccessAttempt.objects.filter(username="wangmin").exists()


def test_a_directory_account_without_a_person_here_is_refused_and_not_created(world, ldap_settings):
    before = User.objects.count()
    r = web_login(Client(), "outsider", "dir-pass-2")
    assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()
    assert User.objects.count() == before
    assert not User.objects.filter(username="outsider").exists()


def test_the_directory_can_fill_in_names(world, ldap_settings):
    ldap_settings.AUTH_LDAP_USER_ATTR_MAP = {"full_name": "displayName"}
    ldap_settings.AUTH_LDAP_ALWAYS_UPDATE_USER = True
    person = world.leader
    User.objects.filter(pk=person.pk).update(username="zhaowen", full_name="旧名字")
    assert web_login(Client(), "zhaowen", "dir-pass-3").status_code == 302
    person.refresh_from_db()
    assert person.full_name == "赵文"


def test_local_passwords_keep_working_beside_the_directory(world, ldap_settings):
    assert web_login(Client(), world.supervisor.username).status_code == 302


def test_a_directory_that_is_down_means_not_signed_in_not_a_500(world, ldap_settings):
    ldap_settings.AUTH_LDAP_SERVER_URI = f"ldap://127.0.0.1:{free_port()}"
    User.objects.filter(pk=world.office_head.pk).update(username="wangmin")
    r = web_login(Client(), "wangmin", "dir-pass-1")
    assert r.status_code == 200 and "用户名或密码不正确" in r.content.decode()

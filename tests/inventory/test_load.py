"""The inventory is a contract: strict validation, errors that name file and key."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cockpit.inventory import InventoryError, load_inventory

MINIMAL = """
[[hosts]]
name = "web1"
address = "198.18.0.101"
"""


def write(tmp_path: Path, text: str, name: str = "inventory.toml") -> Path:
    p = tmp_path / name
    p.write_text(textwrap.dedent(text))
    return p


def error_of(tmp_path: Path, text: str) -> InventoryError:
    with pytest.raises(InventoryError) as ei:
        load_inventory(write(tmp_path, text))
    return ei.value


def test_the_issue_example_loads_with_defaults_applied(tmp_path: Path) -> None:
    inv = load_inventory(write(tmp_path, """
        [defaults]
        ssh_user = "root"
        ssh_port = 22
        identity_file = "~/.ssh/id_ed25519"
        known_hosts = "~/.ssh/known_hosts"
        connect_timeout = 5
        command_timeout = 10
        refresh = 5

        [[hosts]]
        name = "web1"
        address = "198.18.0.101"
        public_ip = "203.0.113.40"
        role = "primary"

        [[hosts]]
        name = "web2"
        address = "web2.internal"
        role = "standby"
        ssh_port = 2222
        mounts = ["/", "/storage"]
        space_warning = 70
        """))
    web1, web2 = inv.hosts
    assert (web1.ssh_user, web1.ssh_port, web1.public_ip, web1.role) == ("root", 22, "203.0.113.40", "primary")
    assert web1.connect_timeout == 5.0 and web1.command_timeout == 10.0
    assert (web2.ssh_port, web2.role, web2.mounts) == (2222, "standby", ("/", "/storage"))
    assert web2.thresholds.warning == 70 and web2.thresholds.critical == 90
    assert inv.defaults.refresh == 5.0


def test_unset_ssh_user_and_port_are_left_to_ssh_config(tmp_path: Path) -> None:
    (h,) = load_inventory(write(tmp_path, MINIMAL)).hosts
    assert h.ssh_user is None and h.ssh_port is None


@pytest.mark.parametrize(("text", "key", "expected"), [
    ('[[hosts]]\nname = "web1"\naddress = "a"\nssh_prot = 22\n', "hosts[0].ssh_prot", "unknown key"),
    ('[[hosts]]\nname = "web1"\naddress = "a"\nssh_port = "22"\n', "hosts[0].ssh_port", "expected an integer"),
    ('[[hosts]]\nname = "web1"\naddress = "a"\nssh_port = 70000\n', "hosts[0].ssh_port", "from 1 to 65535"),
    ('[[hosts]]\nname = "web1"\n', "hosts[0].address", "is required"),
    ('[[hosts]]\nname = "web 1"\naddress = "a"\n', "hosts[0].name", "expected a host name"),
    ('[[hosts]]\nname = "web1"\naddress = "a"\nrole = "master"\n', "hosts[0].role", "expected one of"),
    ('[[hosts]]\nname = "web1"\naddress = "a"\npublic_ip = "300.1.1.1"\n', "hosts[0].public_ip", "IPv4"),
    ('[[hosts]]\nname = "web1"\naddress = "a;rm -rf /"\n', "hosts[0].address", "host name or IP"),
    ('[[hosts]]\nname = "web1"\naddress = "a"\nmounts = ["storage"]\n', "hosts[0].mounts[0]", "absolute"),
    ('[defaults]\nrefresh = 0\n[[hosts]]\nname = "a"\naddress = "a"\n', "defaults.refresh", "from 0.5"),
    ('[defaults]\nconnect_timeout = true\n[[hosts]]\nname = "a"\naddress = "a"\n',
     "defaults.connect_timeout", "expected a number"),
    ('[[hosts]]\nname = "a"\naddress = "a"\n[[hosts]]\nname = "a"\naddress = "b"\n', "hosts[1].name", "unique"),
    ('[[hosts]]\nname = "a"\naddress = "a"\nspace_warning = 95\n', "hosts[0].space_warning", "at most"),
    ("hosts = 3\n", "hosts", "array of tables"),
    ('[keys]\nrefresh = "q"\n[[hosts]]\nname = "a"\naddress = "a"\n', "keys.refresh", "already bound"),
    ('[keys]\nfrobnicate = "x"\n[[hosts]]\nname = "a"\naddress = "a"\n', "keys.frobnicate", "unknown binding id"),
    ('[keys]\nrefresh = "ctrl+b"\n[[hosts]]\nname = "a"\naddress = "a"\n', "keys.refresh", "tmux"),
    ("[defaults]\n", "hosts", "at least one"),
])
def test_errors_name_the_file_the_key_and_what_was_expected(tmp_path: Path, text: str, key: str,
                                                             expected: str) -> None:
    err = error_of(tmp_path, text)
    assert err.file.endswith("inventory.toml")
    assert err.key == key
    assert expected in str(err)
    assert str(err).startswith(str(tmp_path / "inventory.toml"))


def test_toml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    err = error_of(tmp_path, '[[hosts]]\nname = "a"\naddress = \n')
    assert err.line == 3
    assert "invalid TOML" in str(err) and ":3:" in str(err)


def test_missing_file_and_binary_file(tmp_path: Path) -> None:
    with pytest.raises(InventoryError, match="no such file"):
        load_inventory(tmp_path / "nope.toml")
    p = tmp_path / "bin.toml"
    p.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(InventoryError, match="UTF-8"):
        load_inventory(p)


def test_keys_are_remapped_by_binding_id(tmp_path: Path) -> None:
    inv = load_inventory(write(tmp_path, MINIMAL + '[keys]\nrefresh = "f5"\n'))
    assert dict(inv.keys) == {"refresh": "f5"}


SITES = MINIMAL + """
[[hosts]]
name = "web2"
address = "198.18.0.102"

[mysql]
user = "cockpit"
password_env = "COCKPIT_MYSQL_PASSWORD"
check_timeout = 30

[[sites]]
name = "acme"
hostname = "acme.example.test"
host = "web1"
standby = "web2"
database = "acme"
storage = "/storage/acme"

[[sites]]
name = "beta"
host = "web1"
mysql = {via = "direct", address = "198.18.0.101", port = 3307}
"""


def test_sites_inherit_mysql_defaults_and_may_override(tmp_path: Path) -> None:
    inv = load_inventory(write(tmp_path, SITES))
    acme, beta = inv.sites
    assert acme.standby == "web2" and acme.mysql.password_env == "COCKPIT_MYSQL_PASSWORD"
    assert beta.database == "beta"  # defaults to the site name
    assert (beta.mysql.via, beta.mysql.port, beta.mysql.user) == ("direct", 3307, "cockpit")
    assert acme.backup_format == "mariadb-dump"  # the default: one dump file
    mydumper = load_inventory(write(tmp_path, SITES + '[[sites]]\nname = "x"\nhost = "web1"\nbackup = "/b/x"\n'
                                                      'backup_format = "mydumper"\n')).sites[-1]
    assert (mydumper.backup, mydumper.backup_format) == ("/b/x", "mydumper")


@pytest.mark.parametrize(("extra", "key"), [
    ('[[sites]]\nname = "x"\nhost = "nohost"\n', "sites[2].host"),
    ('[[sites]]\nname = "x"\nhost = "web1"\nstandby = "web1"\n', "sites[2].standby"),
    ('[[sites]]\nname = "x"\nhost = "web1"\ndatabase = "a`b"\n', "sites[2].database"),
    ('[[sites]]\nname = "x"\nhost = "web1"\nhostname = "bad_name!.test"\n', "sites[2].hostname"),
    ('[[sites]]\nname = "x"\nhost = "web1"\nstorage = "rel/path"\n', "sites[2].storage"),
    ('[[sites]]\nname = "x"\nhost = "web1"\nmysql = {via = "carrier-pigeon"}\n', "sites[2].mysql.via"),
    ('[[sites]]\nname = "acme"\nhost = "web1"\n', "sites[2].name"),
    ('[[sites]]\nname = "x"\nhost = "web1"\nbackup = "/b/x"\nbackup_format = "tarball"\n', "sites[2].backup_format"),
])
def test_site_errors_name_the_site_key(tmp_path: Path, extra: str, key: str) -> None:
    assert error_of(tmp_path, SITES + extra).key == key


def test_dns_and_storage_sections(tmp_path: Path) -> None:
    inv = load_inventory(write(tmp_path, SITES + """
[dns]
zone = "example.test"
nameservers = [{name = "ns1", address = "198.18.0.31"}, {name = "ns2", address = "198.18.0.32"}]
resolvers = [{name = "isp-a", address = "198.18.0.41"}]
timeout = 2
[dns.update]
server = "198.18.0.31"
key_name = "cockpit-key"
key_secret_env = "COCKPIT_TSIG_SECRET"

[storage]
source = "web2"
source_root = "/backup/storage/"
rsync_args = ["--partial", "--numeric-ids"]
bwlimit_kbps = 500
"""))
    assert inv.dns is not None and [n.name for n in inv.dns.nameservers] == ["ns1", "ns2"]
    assert inv.dns.update is not None and inv.dns.update.algorithm == "hmac-sha256"
    assert inv.dns.failover_ttl is None  # failover keeps the TTL unless asked
    assert inv.storage.source_root == "/backup/storage" and inv.storage.bwlimit_kbps == 500
    dns = '[dns]\nzone = "example.test"\n'
    assert load_inventory(write(tmp_path, SITES + dns + "failover_ttl = 60\n")).dns.failover_ttl == 60  # type: ignore[union-attr]
    assert error_of(tmp_path, SITES + dns + "failover_ttl = 0\n").key == "dns.failover_ttl"


def test_public_ipv6_and_dns_without_nameservers(tmp_path: Path) -> None:
    host = '[[hosts]]\nname = "web1"\naddress = "198.18.0.101"\npublic_ip = "203.0.113.10"\n'
    inv = load_inventory(write(tmp_path, host + 'public_ipv6 = "2001:DB8::10"\n[dns]\nzone = "example.test."\n'))
    assert inv.hosts[0].public_ipv6 == "2001:db8::10" and inv.hosts[0].public_ip == "203.0.113.10"
    assert inv.dns is not None and inv.dns.zone == "example.test" and inv.dns.nameservers == ()  # found from NS
    assert inv.dns.concurrency == 256 and inv.dns.timeout == 2.0
    e = error_of(tmp_path, host + 'public_ipv6 = "203.0.113.11"\n')
    assert e.key == "hosts[0].public_ipv6" and "IPv6" in str(e)
    e = error_of(tmp_path, host + '[dns]\nzone = "example.test"\nresolvers = [{name = "isp-a", address = "nope"}]\n')
    assert e.key == "dns.resolvers[0].address"


@pytest.mark.parametrize("arg", ["--delete", "--delete-after", "--remove-source-files", "-e", "x"])
def test_destructive_rsync_args_are_refused(tmp_path: Path, arg: str) -> None:
    err = error_of(tmp_path, MINIMAL + f'[storage]\nrsync_args = ["{arg}"]\n')
    assert err.key == "storage.rsync_args[0]"


def test_ansible_ini_inventory(tmp_path: Path) -> None:
    write(tmp_path, """
        [web]
        web1 ansible_host=198.18.0.101 ansible_port=2222
        web2 ansible_host=198.18.0.102

        [standby]
        sb1 ansible_host=198.18.0.110 cockpit_public_ip=203.0.113.9

        [web:vars]
        ansible_user=deploy

        [all:children]
        web
        standby
        """, "hosts.ini")
    inv = load_inventory(write(tmp_path, 'ansible_inventory = "hosts.ini"\n'))
    by = {h.name: h for h in inv.hosts}
    assert (by["web1"].address, by["web1"].ssh_port, by["web1"].ssh_user) == ("198.18.0.101", 2222, "deploy")
    assert by["sb1"].role == "standby" and by["sb1"].public_ip == "203.0.113.9"
    assert by["sb1"].ssh_user is None
    assert "web" in by["web2"].groups


def test_ansible_yaml_inventory_from_the_command_line(tmp_path: Path) -> None:
    y = write(tmp_path, """
        all:
          children:
            web:
              vars:
                ansible_user: ops
              hosts:
                web1:
                  ansible_host: 198.18.0.101
                web2:
                  ansible_host: 198.18.0.102
                  ansible_user: root
        """, "hosts.yml")
    inv = load_inventory(write(tmp_path, "# hosts come from ansible\n"), ansible_inventory=y)
    by = {h.name: h for h in inv.hosts}
    assert by["web1"].ssh_user == "ops" and by["web2"].ssh_user == "root"


def test_ansible_errors_name_the_ansible_file(tmp_path: Path) -> None:
    write(tmp_path, "[web]\nweb1 ansible_port=notaport\n", "bad.ini")
    err = error_of(tmp_path, 'ansible_inventory = "bad.ini"\n')
    assert err.file.endswith("bad.ini") and "ansible_port" in err.key


def test_check_config_cli_exits_2_without_traceback(tmp_path: Path) -> None:
    bad = write(tmp_path, '[[hosts]]\nname = "web1"\naddress = "a"\nssh_port = "x"\n')
    proc = subprocess.run([sys.executable, "-m", "cockpit", "check-config", "--inventory", str(bad)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{bad}: hosts[0].ssh_port: expected an integer" in proc.stderr


def test_check_config_prints_what_it_understood(tmp_path: Path) -> None:
    good = write(tmp_path, SITES)
    proc = subprocess.run([sys.executable, "-m", "cockpit", "check-config", "--inventory", str(good)],
                          capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "2 hosts" in proc.stdout and "acme" in proc.stdout and "-> standby web2" in proc.stdout
    assert "password from $COCKPIT_MYSQL_PASSWORD" in proc.stdout

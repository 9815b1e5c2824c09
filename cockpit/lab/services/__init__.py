"""Services that run on lab hosts. Importing this package registers them all.

Add a new service module to the import list below.
"""

from cockpit.lab.services import cron as cron
from cockpit.lab.services import dns_bind as dns_bind
from cockpit.lab.services import mariadb as mariadb
from cockpit.lab.services import mydumper as mydumper
from cockpit.lab.services import sshd as sshd
from cockpit.lab.services import storage as storage
from cockpit.lab.services.base import LabContext, Service, make, register

__all__ = ["LabContext", "Service", "make", "register"]

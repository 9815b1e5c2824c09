"""The inventory: hosts, sites, MySQL, DNS and storage settings (a contract)."""

from cockpit.inventory.errors import InventoryError
from cockpit.inventory.load import load_inventory
from cockpit.inventory.model import Dns, DnsUpdate, Host, Inventory, MySQL, NameServer, Site, Storage

__all__ = ["Dns", "DnsUpdate", "Host", "Inventory", "InventoryError", "MySQL", "NameServer", "Site",
           "Storage", "load_inventory"]

from infra.store.base import ConditionFailed, Item, Put, Store, StoreUnavailable, Update

__all__ = ["ConditionFailed", "Item", "Put", "Store", "StoreUnavailable", "Update"]

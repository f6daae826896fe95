"""Every write to returns and complaints, one module per part of the flow."""

from tiski.returns.actions.requests import ReturnItem, held_quantities, request_return

__all__ = ["ReturnItem", "held_quantities", "request_return"]

"""awssim_mock: run Pulumi programs in mock mode against awssim.

AwssimMocks (bridge.py) is a pulumi.runtime.Mocks that creates resources of the services awssim
emulates with their real AWS API calls (boto3 against awssim) and everything else in awssim's
generic resource registry; deploy.py runs a whole program that way and writes flat outputs.
"""

from .bridge import AwssimMocks, BridgeError

__all__ = ["AwssimMocks", "BridgeError"]

"""awssim_mock: run Pulumi programs in mock mode against awssim.

AwssimMocks (bridge.py) is a pulumi.runtime.Mocks that creates resources of the services awssim
emulates with their real AWS API calls (boto3 against awssim) and everything else in awssim's
generic resource registry; deploy.py runs a whole program that way and writes flat outputs.
"""

__all__ = ["AwssimMocks", "BridgeError"]


def __getattr__(name):
    # bridge (Pulumi, boto3) is imported on first use: `python -m awssim_mock.deploy` handing its
    # deploy to the fork server needs none of it
    if name in __all__:
        from . import bridge

        return getattr(bridge, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

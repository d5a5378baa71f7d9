"""The suite runs with the network off: any connection to a non-loopback address fails."""
import socket

import pytest
from pytest_socket import SocketConnectBlockedError


def test_outside_connection_is_refused():
    with pytest.warns(UserWarning), pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("93.184.216.34", 80), timeout=1)


def test_loopback_is_allowed_for_notebook_kernels():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    client = socket.create_connection(server.getsockname(), timeout=1)
    client.close()
    server.close()


def test_full_mnist_never_downloads_by_default(tmp_path):
    from course_utils import data

    with pytest.raises(FileNotFoundError, match="allow_download=True"):
        data.load_full_mnist(cache_dir=tmp_path)

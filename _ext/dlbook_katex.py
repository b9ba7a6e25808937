"""sphinxcontrib-katex's pre-rendering server, started without a race.

With ``katex_prerender``, sphinxcontrib-katex 0.9 starts one Node.js server per build and
connects to its Unix socket as soon as the socket *file* exists. Node creates the file when
it binds the socket and accepts connections only once it listens, a moment later: a
connection in between is refused, and the build stops with ``ConnectionRefusedError``
while writing its first page with math. On the project's 2-core machine that happened
twice in a day, both times while other tests kept both cores busy. This extension replaces
``KaTeXServer.start_server_process`` with the same start that retries a refused
connection until the start-up timeout (raised from the package's 5 s to 30 s, for a busy
machine), and then fails as the package does.
"""

from __future__ import annotations

import socket
import time
from subprocess import PIPE, Popen

STARTUP_TIMEOUT = 30.0


def _start_server_process(cls, rundir, timeout):
    socket_path = rundir / "katex.sock"
    process = Popen(cls.build_command(socket=socket_path), stdin=PIPE, stdout=PIPE,
                    cwd=rundir)
    deadline = time.monotonic() + max(timeout, STARTUP_TIMEOUT)
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"sphinxcontrib-katex: the KaTeX server exited with status "
                               f"{process.returncode} before it accepted a connection")
        if socket_path.is_socket():
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            try:
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock.connect(str(socket_path))
                sock.settimeout(None)
                return process, sock
            except ConnectionRefusedError:      # bound, not yet listening
                sock.close()
            except socket.timeout:
                sock.close()
                raise cls.timeout_error(timeout) from None
        if time.monotonic() > deadline:
            process.kill()
            raise cls.timeout_error(timeout)
        time.sleep(0.01)


def setup(app):
    from sphinxcontrib import katex

    if not hasattr(katex.KaTeXServer, "start_server_process"):
        from sphinx.errors import ExtensionError
        raise ExtensionError("dlbook_katex: sphinxcontrib-katex has no "
                             "KaTeXServer.start_server_process: check its server start")
    katex.KaTeXServer.start_server_process = classmethod(_start_server_process)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

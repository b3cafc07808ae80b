"""A real HTTP receiver on 127.0.0.1 for webhook tests, and a dispatcher run."""

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from orders.webhooks.tasks import webhooks_dispatch_task


class Receiver:
    """Records every POST; answers the queued statuses in turn, then `default`."""

    def __init__(self, *, keep_alive: bool = False):
        self.requests: list[dict] = []
        self.answers: list[int] = []
        self.default = 200
        self.delay = 0.0
        self.location = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1" if keep_alive else "HTTP/1.0"

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.requests.append(
                    {"headers": dict(self.headers), "body": body, "client": self.client_address}
                )
                time.sleep(receiver.delay)
                status = receiver.answers.pop(0) if receiver.answers else receiver.default
                self.send_response(status)
                if receiver.location:
                    self.send_header("Location", receiver.location)
                answer = f"answer {status} from the ERP".encode()
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks?src=xd"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    made = Receiver()
    yield made
    made.close()


def dispatch() -> int:
    """One dispatcher run, as Celery beat would start it (tasks run inline in tests)."""
    return webhooks_dispatch_task.apply().get()

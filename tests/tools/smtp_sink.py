#!/usr/bin/env python3
"""A local SMTP sink for the portal's tests: every message received is written to DIR as
NNNN.eml (the raw message, as the server sent it). Usage: smtp_sink.py PORT DIR. Prints
"ready PORT" once listening; runs until killed. Uses aiosmtpd (Debian: python3-aiosmtpd)."""
import os
import sys
import threading
import time

from aiosmtpd.controller import Controller


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += 1
            name = os.path.join(self.directory, "%04d.eml" % self.count)
        tmp = name + ".part"
        with open(tmp, "wb") as f:
            f.write(b"X-Envelope-To: " + ", ".join(envelope.rcpt_tos).encode() + b"\r\n")
            f.write(envelope.original_content or envelope.content)
        os.rename(tmp, name)  # readers never see half a message
        return "250 OK"


def main():
    port, directory = int(sys.argv[1]), sys.argv[2]
    os.makedirs(directory, exist_ok=True)
    controller = Controller(Sink(directory), hostname="127.0.0.1", port=port)
    controller.start()
    print("ready %d" % port, flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()

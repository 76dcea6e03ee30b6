#!/usr/bin/env python3
"""A webhook receiver for test_hub_webhook_delivery: an independent Standard Webhooks v1
verifier (Python's hmac, nothing from Signiq) on 127.0.0.1.

Usage: webhook_receiver.py SECRET STATUSES [CERT.pem KEY.pem]
(STATUSES: e.g. 503,200; the last one repeats; with CERT and KEY it serves https.)
Prints "port N", then per request: "got <webhook-id> <timestamp> <verified|BAD> <status> host=<Host>".
A 503 answer carries "Retry-After: 120", a 3xx a Location back here; 0 means never answer."""
import base64, hashlib, hmac, http.server, ssl, sys, time

secret, statuses = sys.argv[1], [int(s) for s in sys.argv[2].split(",")]
key = base64.b64decode(secret[len("whsec_"):])
count = 0


class Receiver(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        global count
        body = self.rfile.read(int(self.headers.get("content-length", "0")))
        msg_id, ts = self.headers.get("webhook-id", ""), self.headers.get("webhook-timestamp", "")
        want = base64.b64encode(hmac.new(key, f"{msg_id}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
        ok = any(p.startswith("v1,") and hmac.compare_digest(p[3:], want)
                 for p in self.headers.get("webhook-signature", "").split(" "))
        status = statuses[min(count, len(statuses) - 1)]
        count += 1
        print(f"got {msg_id} {ts} {'verified' if ok else 'BAD'} {status} host={self.headers.get('host', '')}", flush=True)
        if status == 0:  # never answer (the dispatcher's timeout ends the attempt)
            time.sleep(30)
            return
        self.send_response(status)
        if 300 <= status < 400:
            self.send_header("Location", f"http://127.0.0.1:{self.server.server_address[1]}/elsewhere")
        if status == 503:
            self.send_header("Retry-After", "120")
        reply = b"thanks" if status < 300 else b"not now " * 500
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Receiver)
if len(sys.argv) > 4:
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.minimum_version = ssl.TLSVersion.TLSv1_2
    tls.load_cert_chain(sys.argv[3], sys.argv[4])
    server.socket = tls.wrap_socket(server.socket, server_side=True)
print(f"port {server.server_address[1]}", flush=True)
server.serve_forever()

"""Ask yaml-language-server (the YAML engine of VS Code, Neovim, Helix...) what it completes at
a place in a workspace's mentorqa.yaml: a by-hand check that the schema 'mentorqa init' writes
lets an editor complete indicator ids. See docs/ci.md ("Editors").

    npm install --prefix /tmp/yls yaml-language-server
    python tools/yls_complete.py /tmp/yls/node_modules/.bin/yaml-language-server WORKSPACE

It adds an empty line under 'indicators:' in a copy of the manifest's text (the file on disk is
not changed), asks for completions there, and prints the labels the server offers.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def main() -> None:
    server, workspace = sys.argv[1], Path(sys.argv[2]).resolve()
    manifest = workspace / "mentorqa.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines()
    row = next(n for n, line in enumerate(lines) if line.startswith("indicators:"))
    lines[row] = "indicators:"
    lines.insert(row + 1, "  ")
    text = "\n".join(lines) + "\n"
    proc = subprocess.Popen(
        [server, "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, cwd=workspace
    )
    assert proc.stdin is not None and proc.stdout is not None
    stdin, stdout = proc.stdin, proc.stdout
    counter = iter(range(1, 1000))

    def send(method: str, params: Any, request: bool = True) -> int | None:
        ident = next(counter) if request else None
        message: dict[str, Any] = {"jsonrpc": "2.0", "method": method, "params": params}
        if ident is not None:
            message["id"] = ident
        body = json.dumps(message).encode()
        stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        stdin.flush()
        return ident

    def answer(ident: int) -> Any:
        while True:
            length = 0
            while (header := stdout.readline().strip()) != b"":
                if header.lower().startswith(b"content-length:"):
                    length = int(header.split(b":")[1])
            message = json.loads(stdout.read(length))
            if message.get("id") == ident and "method" not in message:
                return message.get("result")
            if "method" in message and "id" in message:  # a request from the server
                reply = {"jsonrpc": "2.0", "id": message["id"], "result": None}
                if message["method"] == "workspace/configuration":
                    reply["result"] = [{"validate": True, "completion": True}] * len(
                        message["params"]["items"]
                    )
                body = json.dumps(reply).encode()
                stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                stdin.flush()

    uri = manifest.as_uri()
    started = send(
        "initialize", {"processId": None, "rootUri": workspace.as_uri(), "capabilities": {}}
    )
    answer(started or 0)
    send("initialized", {}, request=False)
    send(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}},
        request=False,
    )
    ident = send(
        "textDocument/completion",
        {"textDocument": {"uri": uri}, "position": {"line": row + 1, "character": 2}},
    )
    result = answer(ident or 0)
    items = result.get("items", []) if isinstance(result, dict) else result or []
    labels = [item["label"] for item in items]
    print(f"{len(labels)} completions under 'indicators:', for example: {labels[:5]}")
    proc.kill()


if __name__ == "__main__":
    main()

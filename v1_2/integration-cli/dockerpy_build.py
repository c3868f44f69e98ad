"""docker build through docker-py 7 against `dockerlab v1.2 daemon`
(issue #16, book ch.11).

Not upstream: Docker 1.2's integration-cli drove its own client; this
script drives docker-py 7.1's images.build (version="1.24": docker-py
refuses anything older). What docker-py sends that 1.2 never knew is
listed in docs/divergences.md ("docker build").

Usage: python3 dockerpy_build.py DOCKER_HOST CONTEXT_DIR EXPECTED_RUN_OUTPUT
Prints one "ok <step>" line per step and exits non-zero at the first
failure.
"""
import sys

import docker
from docker.errors import BuildError


def step(name):
    print("ok", name, flush=True)


def streams(logs):
    return "".join(chunk.get("stream", "") for chunk in logs)


def main():
    host, context, expected = sys.argv[1], sys.argv[2], sys.argv[3]
    c = docker.DockerClient(base_url=host, version="1.24", timeout=300)
    before = {x.id for x in c.containers.list(all=True)}

    # docker-py's default rm=False keeps every intermediate container.
    image, logs = c.images.build(path=context, tag="py1")
    text = streams(logs)
    assert "Successfully built " + image.id.split(":")[-1][:12] in text, text
    assert "py1:latest" in c.images.get("py1").tags
    step("images.build (tag py1)")
    kept = [x for x in c.containers.list(all=True) if x.id not in before]
    assert kept, "rm=False keeps the intermediate containers"
    for x in kept:
        x.remove()
    step("rm=False: %d intermediate containers kept, then removed" % len(kept))

    out = c.containers.run("py1", remove=True)
    assert out.decode() == expected, out
    step("run py1")

    image2, logs = c.images.build(path=context, tag="py1", rm=True)
    text = streams(logs)
    assert image2.id == image.id, (image2.id, image.id)
    assert text.count("Using cache") == 16, text
    step("images.build again: every step from the cache")

    image3, logs = c.images.build(path=context, tag="py2", rm=True, nocache=True)
    assert "Using cache" not in streams(logs)
    assert image3.id != image.id
    step("images.build nocache=True")

    import io
    bad = io.BytesIO(b"FROM busybox\nRUN echo failing; exit 3\n")
    try:
        c.images.build(fileobj=bad, rm=True, forcerm=True)
    except BuildError as e:
        assert "returned a non-zero code: 3" in str(e), e
    else:
        raise AssertionError("a failing RUN must raise BuildError")
    step("a failing RUN raises BuildError")

    for tag in ("py1", "py2"):
        c.images.remove(tag)
    print("docker-py build scenario passed")


if __name__ == "__main__":
    main()

"""Issue #15's registry flow driven by docker-py 7.1 against
`dockerlab v1.2 daemon`: pull from dockerlab's v1 registry, run what came,
tag and push, remove and pull back the same id, search, log in.

Not upstream: Docker 1.2 had no docker-py tests. docker-py talks API 1.24
(its minimum); the daemon answers it (docs/divergences.md).
Book ch.9: each pull below is §9.3 → §9.4 → §9.5.

Usage: python3 dockerpy_registry.py DOCKER_HOST OPEN_REGISTRY ACCOUNT_REGISTRY
Prints one "ok <step>" line per step; exits non-zero at the first failure.
"""
import sys

import docker


def step(name):
    print("ok", name, flush=True)


def main():
    host, open_reg, private_reg = sys.argv[1], sys.argv[2], sys.argv[3]
    c = docker.DockerClient(base_url=host, version="1.24", timeout=120)

    repo = open_reg + "/library/busybox"
    img = c.images.pull(repo, tag="latest")
    assert repo + ":latest" in img.tags, img.tags
    step("images.pull " + repo)

    out = c.containers.run(repo, ["echo", "py-pulled"], remove=True)
    assert out == b"py-pulled\n", out
    step("containers.run the pulled image")

    mine = open_reg + "/pyuser/pybox"
    assert img.tag(mine, "v1")
    lines = list(c.images.push(mine, tag="v1", stream=True, decode=True))
    assert not any("error" in l for l in lines), lines
    assert any("already pushed" in l.get("status", "") for l in lines), lines
    step("images.push (tag v1)")

    c.images.remove(mine + ":v1")
    c.images.remove(repo + ":latest")
    again = c.images.pull(mine, tag="v1")
    assert again.id == img.id, (again.id, img.id)
    step("remove, pull again: the same id")

    results = c.api.search(open_reg + "/pyu")
    assert any(r["name"] == "pyuser/pybox" for r in results), results
    step("search")

    res = c.login(username="alice", password="wonderland", registry=private_reg)
    assert res.get("Status") == "Login Succeeded", res
    try:
        c.login(username="alice", password="nope", registry=private_reg, reauth=True)
        raise AssertionError("a wrong password logged in")
    except docker.errors.APIError as e:
        assert "Wrong login/password" in str(e), e
    step("login")

    try:
        c.images.pull(open_reg + "/library/nothere", tag="latest")
        raise AssertionError("pulled an image the registry does not have")
    except docker.errors.APIError as e:
        # docker-py reads past the stream's error and then finds no image.
        assert "nothere" in str(e), e
    assert c.ping()
    step("a missing image is an error; the daemon still answers")
    print("docker-py registry scenario passed", flush=True)


if __name__ == "__main__":
    main()

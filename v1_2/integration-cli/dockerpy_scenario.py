"""The everyday flow of issue #6 item 3, driven by docker-py against
`dockerlab v1.2 daemon`.

Not upstream: Docker 1.2's integration-cli drove its own client; this
script drives docker-py 7.1, which refuses any API below 1.24, so it
talks version="1.24" (docs/divergences.md: Remote API for later clients).
Book ch.5: every call below becomes one request → router → job.

Usage: python3 dockerpy_scenario.py DOCKER_HOST BUSYBOX_TAR MODE
MODE is "fake" (no httpd applet: a sleeping container) or "linux" (the
published port answers). Prints one "ok <step>" line per step and exits
non-zero at the first failure.
"""
import io
import sys
import tarfile
import time

import docker


def step(name):
    print("ok", name, flush=True)


def main():
    host, busybox_tar, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    c = docker.DockerClient(base_url=host, version="1.24", timeout=60)
    api = c.api

    v = c.version()
    assert v["Version"] == "1.2.0", v
    assert v["ApiVersion"] == "1.14", v
    step("version")
    info = c.info()
    assert "Containers" in info and "Images" in info, info
    step("info")
    assert c.ping()
    step("ping")

    with open(busybox_tar, "rb") as f:
        out = api.import_image_from_data(f.read(), repository="pybox", tag="latest")
    assert out, out
    img = c.images.get("pybox:latest")
    assert "pybox:latest" in img.tags, img.tags
    step("import")
    assert any("pybox:latest" in i.tags for i in c.images.list()), c.images.list()
    step("images")
    assert img.tag("pybox", "v1")
    assert "pybox:v1" in c.images.get("pybox:v1").tags
    step("tag")
    hist = img.history()
    assert hist and "Id" in hist[0], hist
    step("history")

    # containers.run(remove=True) reads the output with logs(follow=True)
    # right after start. The logs job reads the json log file, then joins
    # the live stream; a line that is in neither yet (the disk copy runs
    # behind the container) is missed now and then. So: run, wait, then
    # read the logs until the line has reached the file.
    ctr = c.containers.run("pybox", ["echo", "hi"], detach=True)
    assert ctr.wait()["StatusCode"] == 0
    deadline = time.time() + 10
    out = ctr.logs()
    while out != b"hi\n" and time.time() < deadline:
        time.sleep(0.05)
        out = ctr.logs()
    assert out == b"hi\n", out
    ctr.remove()
    assert not any(x.id == ctr.id for x in c.containers.list(all=True))
    step("run echo hi, wait, logs, rm")

    if mode == "linux":
        cmd = ["httpd", "-f", "-p", "80"]
    else:
        cmd = ["sh", "-c", "echo started; echo oops >&2; sleep 1000"]
    web = c.containers.run("pybox", cmd, detach=True, name="pyweb", ports={"80/tcp": 18080})
    web.reload()
    assert web.status == "running", web.status
    assert web.name == "pyweb", web.name
    step("run -d --name pyweb -p 18080:80")
    assert any(x.id == web.id for x in c.containers.list()), c.containers.list()
    step("ps")
    if mode == "fake":
        deadline = time.time() + 10
        while b"started" not in web.logs() and time.time() < deadline:
            time.sleep(0.1)
        assert web.logs(stdout=True, stderr=False) == b"started\n", web.logs()
        assert web.logs(stdout=False, stderr=True) == b"oops\n", web.logs(stderr=True)
        step("logs (stdout and stderr apart)")
    else:
        import urllib.error
        import urllib.request
        # busybox httpd with no index.html answers 404: an answer all the same.
        try:
            code = urllib.request.urlopen("http://127.0.0.1:18080/", timeout=10).status
        except urllib.error.HTTPError as e:
            code = e.code
        step("published port answers (HTTP %d from httpd)" % code)
    attrs = api.inspect_container("pyweb")
    assert attrs["HostConfig"]["PortBindings"]["80/tcp"][0]["HostPort"] == "18080", attrs["HostConfig"]
    step("inspect")
    top = web.top()
    assert top["Processes"], top
    step("top")
    web.pause()
    web.reload()
    assert web.status == "paused", web.status
    web.unpause()
    web.reload()
    assert web.status == "running", web.status
    step("pause/unpause")
    web.stop(timeout=1)
    web.reload()
    assert web.status == "exited", web.status
    step("stop")
    web.start()
    web.reload()
    assert web.status == "running", web.status
    step("start")
    web.restart(timeout=1)
    web.reload()
    assert web.status == "running", web.status
    step("restart")
    web.kill()
    res = web.wait()
    assert res["StatusCode"] == 137, res
    step("kill + wait")
    web.remove(force=True)
    assert not any(x.name == "pyweb" for x in c.containers.list(all=True))
    step("rm -f")

    d = c.containers.run("pybox", ["sh", "-c", "mkdir /newdir && echo x > /newdir/f"], detach=True)
    assert d.wait()["StatusCode"] == 0
    diff = d.diff()
    assert {"Path": "/newdir/f", "Kind": 1} in diff, diff
    step("diff")
    exported = b"".join(d.export())
    names = tarfile.open(fileobj=io.BytesIO(exported)).getnames()
    assert "newdir/f" in names, names[:10]
    step("export")
    committed = d.commit(repository="pycommit", tag="v1")
    assert "pycommit:v1" in c.images.get(committed.id).tags
    step("commit")
    d.remove()

    saved = b"".join(api.get_image("pybox:v1"))
    names = tarfile.open(fileobj=io.BytesIO(saved)).getnames()
    assert "repositories" in names and img.id.split(":")[-1] + "/layer.tar" in names, names
    step("save")
    c.images.remove("pycommit:v1")
    c.images.remove("pybox:v1")
    c.images.remove("pybox:latest")
    assert not any(i.id == img.id for i in c.images.list())
    api.load_image(saved)
    loaded = c.images.get(img.id)
    assert "pybox:v1" in loaded.tags, loaded.tags
    step("rmi + load")
    since = int(time.time()) - 1
    e = c.containers.run("pybox:v1", ["true"], detach=True)
    e.wait()
    e.remove()
    events = api.events(since=since, until=int(time.time()) + 1, decode=True,
                        filters={"container": e.id})
    actions = [ev.get("status") for ev in events]
    assert "die" in actions and "destroy" in actions, actions
    step("events")

    # Confinement (book ch.14 §14.3): what docker-py sends in HostConfig
    # (CapAdd, CapDrop, Devices, Privileged) reaches the container and
    # comes back in inspect.
    def status_of(ctr):
        assert ctr.wait()["StatusCode"] == 0
        deadline = time.time() + 10
        out = ctr.logs()
        while b"CapAmb" not in out and time.time() < deadline:
            time.sleep(0.05)
            out = ctr.logs()
        caps = dict(l.split(":\t") for l in out.decode().splitlines() if l.startswith("Cap"))
        ctr.remove()
        return caps
    ctr = c.containers.run("pybox:v1", ["cat", "/proc/self/status"], detach=True)
    assert status_of(ctr)["CapEff"] == "00000000a80425fb"
    ctr = c.containers.run("pybox:v1", ["cat", "/proc/self/status"], detach=True,
                           cap_add=["NET_ADMIN"], cap_drop=["CHOWN"],
                           devices=["/dev/fuse:/dev/fuse:r"])
    hc = api.inspect_container(ctr.id)["HostConfig"]
    assert hc["CapAdd"] == ["NET_ADMIN"], hc
    assert hc["CapDrop"] == ["CHOWN"], hc
    assert hc["Devices"] == [{"PathOnHost": "/dev/fuse", "PathInContainer": "/dev/fuse",
                              "CgroupPermissions": "r"}], hc["Devices"]
    assert hc["Privileged"] is False, hc
    assert status_of(ctr)["CapEff"] == "00000000a80435fa"
    ctr = c.containers.run("pybox:v1", ["true"], detach=True, privileged=True)
    assert api.inspect_container(ctr.id)["HostConfig"]["Privileged"] is True
    assert ctr.wait()["StatusCode"] == 0
    ctr.remove()
    step("cap_add, cap_drop, devices, privileged")
    print("docker-py scenario passed")


if __name__ == "__main__":
    main()

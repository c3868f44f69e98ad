package client

import (
	"archive/tar"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestGetMethodFindsCommandsByName(t *testing.T) {
	cli := NewDockerCli(nil, io.Discard, nil, "tcp", "127.0.0.1:1", nil)
	for _, name := range []string{"ps", "PS", "Ps", "run", "rmi", "version", "create", "pull", "cp", "build"} {
		_, ok := cli.getMethod(name)
		assert.True(t, ok, name)
	}
	for _, name := range []string{"", "nope", "bogus"} {
		_, ok := cli.getMethod(name)
		assert.False(t, ok, name)
	}
	// Every command in the help list has its method.
	for _, c := range commands {
		_, ok := cli.getMethod(c[0])
		assert.True(t, ok, c[0])
	}
}

func TestNewDockerCliDefaults(t *testing.T) {
	var out strings.Builder
	cli := NewDockerCli(nil, &out, nil, "unix", "/x.sock", nil)
	assert.Equal(t, "http", cli.scheme)
	assert.Same(t, cli.out, cli.err, "a nil err writes to out")
	assert.False(t, cli.isTerminal)
}

func TestUnknownCommandPrintsHelp(t *testing.T) {
	d := newFakeDaemon(t)
	cli, _, errOut := d.client("")
	err := cli.Cmd("bogus")
	var st *StatusError
	require.ErrorAs(t, err, &st)
	assert.Equal(t, 1, st.StatusCode)
	assert.Contains(t, errOut.String(), "Error: Command not found: bogus")
	assert.Contains(t, errOut.String(), "Usage: docker [OPTIONS] COMMAND [arg...]")
	assert.Contains(t, errOut.String(), "    ps        List containers\n")
}

func TestUsageMistakesExit2AndHelpSucceeds(t *testing.T) {
	d := newFakeDaemon(t)
	cli, _, errOut := d.client("")
	err := cli.Cmd("stop") // no container
	var st *StatusError
	require.ErrorAs(t, err, &st)
	assert.Equal(t, 2, st.StatusCode)
	assert.Contains(t, errOut.String(), "Usage: docker stop [OPTIONS] CONTAINER [CONTAINER...]")

	errOut.Reset()
	err = cli.Cmd("ps", "--bogus")
	require.ErrorAs(t, err, &st)
	assert.Equal(t, 2, st.StatusCode)
	assert.Contains(t, errOut.String(), "flag provided but not defined: -bogus")

	errOut.Reset()
	require.NoError(t, cli.Cmd("ps", "--help"))
	assert.Contains(t, errOut.String(), "Usage: docker ps [OPTIONS]")
	require.NoError(t, cli.Cmd("help", "run"))
	assert.Contains(t, errOut.String(), "Usage: docker run [OPTIONS] IMAGE [COMMAND] [ARG...]")
	assert.Empty(t, d.requests(), "no request for a usage mistake")
}

// The usage lists a flag's names on one line as mflag did, long names with
// two dashes, and leaves out the deprecated '#' spellings; run's list
// flags print without a panic line (a zero ListOpts once panicked).
func TestUsageListsFlagsAsMflag(t *testing.T) {
	d := newFakeDaemon(t)
	cli, _, errOut := d.client("")
	require.NoError(t, cli.Cmd("ps", "--help"))
	usage := errOut.String()
	assert.Regexp(t, `(?m)^  -a, --all=false +Show all containers`, usage)
	assert.Regexp(t, `(?m)^  --before="" +Show only container created before`, usage)
	assert.Regexp(t, `(?m)^  -n=-1 +Show n last created containers`, usage)
	assert.NotContains(t, usage, "beforeId", "deprecated spelling hidden")
	assert.NotContains(t, usage, "notrunc")

	errOut.Reset()
	require.NoError(t, cli.Cmd("run", "--help"))
	assert.Regexp(t, `(?m)^  -e, --env=\[\] +Set environment variables`, errOut.String())
	assert.NotContains(t, errOut.String(), "panic")
}

func TestRequestShape(t *testing.T) {
	d := newFakeDaemon(t)
	d.json("GET /version", 200, map[string]any{"Version": "1.2.0", "ApiVersion": "1.14", "GoVersion": "go1.3.1", "GitCommit": "fa7b24f"})
	cli, out, _ := d.client("")
	require.NoError(t, cli.Cmd("version"))
	req := d.requests()[0]
	assert.Equal(t, "/v1.14/version", req.Path)
	assert.Equal(t, "Docker-Client/1.2.0", req.UserAgent)
	assert.Contains(t, out.String(), "Client version: 1.2.0\nClient API version: 1.14\n")
	assert.Contains(t, out.String(), "Server version: 1.2.0\nServer API version: 1.14\nGo version (server): go1.3.1\nGit commit (server): fa7b24f\n")
}

func TestConnectionRefused(t *testing.T) {
	cli := NewDockerCli(nil, io.Discard, nil, "unix", filepath.Join(t.TempDir(), "none.sock"), nil)
	assert.Equal(t, ErrConnectionRefused, cli.Cmd("ps"))
}

func TestDaemonErrorsComeBackAsMessages(t *testing.T) {
	d := newFakeDaemon(t)
	d.text("POST /containers/nope/stop", 404, "No such container: nope\n")
	d.text("POST /containers/web/stop", 204, "")
	cli, out, errOut := d.client("")
	err := cli.Cmd("stop", "-t", "3", "nope", "web")
	assert.EqualError(t, err, "Error: failed to stop one or more containers")
	assert.Equal(t, "web\n", out.String())
	assert.Equal(t, "Error response from daemon: No such container: nope\n", errOut.String())
	req, ok := d.find("POST", "/v1.14/containers/web/stop")
	require.True(t, ok)
	assert.Equal(t, "t=3", req.Query)
	assert.Equal(t, "plain/text", req.ContentType)

	// An error with an empty body names the route instead.
	d.text("POST /containers/x/pause", 500, "")
	out.Reset()
	errOut.Reset()
	err = cli.Cmd("pause", "x")
	assert.EqualError(t, err, "Error: failed to pause container named x")
	assert.Contains(t, errOut.String(), "Error: request returned Internal Server Error for API route and version")
}

func TestPsTable(t *testing.T) {
	d := newFakeDaemon(t)
	now := time.Now().Unix()
	d.json("GET /containers/json", 200, []map[string]any{
		{"Id": "4c01db0b339c1d3f1f5b9e0e4a7c3c8d2f9e6a1b3c5d7e9f0a2b4c6d8e0f1a2b", "Image": "busybox:latest",
			"Command": "httpd -f -p 80", "Created": now - 150, "Status": "Up 2 minutes",
			"Ports": []map[string]any{{"IP": "0.0.0.0", "PrivatePort": 80, "PublicPort": 8080, "Type": "tcp"}},
			"Names": []string{"/web"}},
		{"Id": "aaaabbbbccccdddd", "Image": "busybox:latest", "Command": "true", "Created": now - 9000,
			"Status": "Exited (0) 1 hours ago", "Ports": []any{}, "Names": []string{"/db", "/web/db"}},
	})
	cli, out, _ := d.client("")
	require.NoError(t, cli.Cmd("ps", "-a", "-n", "5", "--before", "x", "-f", "exited=0"))
	req := d.requests()[0]
	assert.Contains(t, req.Query, "all=1")
	assert.Contains(t, req.Query, "limit=5")
	assert.Contains(t, req.Query, "before=x")
	assert.Contains(t, req.Query, "filters=%7B%22exited%22%3A%5B%220%22%5D%7D")
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^CONTAINER ID\s{8}IMAGE\s+COMMAND\s+CREATED\s+STATUS\s+PORTS\s+NAMES\s*$`, lines[0])
	assert.Regexp(t, `^4c01db0b339c\s+busybox:latest\s+"httpd -f -p 80"\s+2 minutes ago\s+Up 2 minutes\s+0\.0\.0\.0:8080->80/tcp\s+web\s*$`, lines[1])
	assert.Regexp(t, `^aaaabbbbcccc\s+busybox:latest\s+"true"\s+2 hours ago\s+Exited \(0\) 1 hours ago\s+db,web/db\s*$`, lines[2])

	out.Reset()
	require.NoError(t, cli.Cmd("ps", "-aq"))
	assert.Equal(t, "4c01db0b339c\naaaabbbbcccc\n", out.String())
}

func TestImagesHistoryRmiTag(t *testing.T) {
	d := newFakeDaemon(t)
	now := time.Now().Unix()
	id := "511136ea3c5a64f264b78b5433614aec563103b4d4702f3ba7d4d2698e22c158"
	d.json("GET /images/json", 200, []map[string]any{
		{"Id": id, "RepoTags": []string{"busybox:latest", "busybox:1"}, "Created": now - 3*86400 - 43200, "VirtualSize": 2433303},
	})
	d.json("GET /images/busybox/history", 200, []map[string]any{
		{"Id": id, "Created": now - 5400, "CreatedBy": "/bin/sh -c #(nop) ADD file:abcdefabcdefabcdefabcdefabcdefabcdef in /", "Size": 0},
	})
	d.json("DELETE /images/busybox:1", 200, []map[string]any{{"Untagged": "busybox:1"}})
	d.json("DELETE /images/"+id, 200, []map[string]any{{"Untagged": "busybox:latest"}, {"Deleted": id}})
	d.text("POST /images/busybox/tag", 201, "")
	cli, out, _ := d.client("")

	require.NoError(t, cli.Cmd("images"))
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	require.Len(t, lines, 3)
	assert.Regexp(t, `^REPOSITORY\s+TAG\s+IMAGE ID\s+CREATED\s+VIRTUAL SIZE$`, lines[0])
	assert.Regexp(t, `^busybox\s+latest\s+511136ea3c5a\s+3 days ago\s+2\.433 MB$`, lines[1])
	assert.Regexp(t, `^busybox\s+1\s+511136ea3c5a\s+3 days ago\s+2\.433 MB$`, lines[2])

	out.Reset()
	require.NoError(t, cli.Cmd("history", "busybox"))
	assert.Regexp(t, `IMAGE\s+CREATED\s+CREATED BY\s+SIZE\n511136ea3c5a\s+About an hour ago\s+/bin/sh -c #\(nop\) ADD file:abcdefabcdefabcdef\s+0 B\n`, out.String())

	out.Reset()
	require.NoError(t, cli.Cmd("rmi", "busybox:1", id))
	assert.Equal(t, "Untagged: busybox:1\nUntagged: busybox:latest\nDeleted: "+id+"\n", out.String())

	out.Reset()
	require.NoError(t, cli.Cmd("tag", "-f", "busybox", "me/box:v1"))
	req, ok := d.find("POST", "/v1.14/images/busybox/tag")
	require.True(t, ok)
	assert.Equal(t, "force=1&repo=me%2Fbox&tag=v1", req.Query)
	assert.Empty(t, out.String())
}

func TestInspectFallsBackToImageAndFormats(t *testing.T) {
	d := newFakeDaemon(t)
	d.text("GET /containers/busybox/json", 404, "No such container: busybox")
	d.json("GET /images/busybox/json", 200, map[string]any{"id": "5111", "Size": 0})
	d.json("GET /containers/web/json", 200, map[string]any{"Id": "abc", "State": map[string]any{"Running": true}})
	d.text("GET /containers/nope/json", 404, "No such container: nope")
	d.text("GET /images/nope/json", 404, "No such image: nope")
	cli, out, errOut := d.client("")

	require.NoError(t, cli.Cmd("inspect", "busybox", "web"))
	// The daemon's JSON ends in a newline, which Indent keeps: 1.2 printed
	// "}\n]" (and "}\n,{" between two objects).
	assert.Equal(t, "[{\n    \"Size\": 0,\n    \"id\": \"5111\"\n}\n,{\n    \"Id\": \"abc\",\n    \"State\": {\n        \"Running\": true\n    }\n}\n]", out.String())

	out.Reset()
	require.NoError(t, cli.Cmd("inspect", "-f", "{{.State.Running}} {{json .State}}", "web"))
	assert.Equal(t, "true {\"Running\":true}\n", out.String())

	out.Reset()
	err := cli.Cmd("inspect", "nope")
	var st *StatusError
	require.ErrorAs(t, err, &st)
	assert.Equal(t, 1, st.StatusCode)
	assert.Equal(t, "Error: No such image or container: nope\n", errOut.String())
	assert.Equal(t, "[]", out.String())
}

func TestTopPortDiffWait(t *testing.T) {
	d := newFakeDaemon(t)
	d.json("GET /containers/web/top", 200, map[string]any{
		"Titles":    []string{"UID", "PID", "CMD"},
		"Processes": [][]string{{"root", "4242", "httpd -f -p 80"}},
	})
	d.json("GET /containers/web/json", 200, map[string]any{"NetworkSettings": map[string]any{
		"Ports": map[string]any{"80/tcp": []map[string]string{{"HostIp": "0.0.0.0", "HostPort": "8080"}}, "53/udp": nil}}})
	d.json("GET /containers/web/changes", 200, []map[string]any{{"Path": "/tmp", "Kind": 0}, {"Path": "/tmp/x", "Kind": 1}, {"Path": "/etc/motd", "Kind": 2}})
	d.json("POST /containers/web/wait", 200, map[string]any{"StatusCode": 3})
	cli, out, _ := d.client("")

	require.NoError(t, cli.Cmd("top", "web", "aux"))
	assert.Regexp(t, `^UID\s+PID\s+CMD\nroot\s+4242\s+httpd -f -p 80\n$`, out.String())
	req, _ := d.find("GET", "/v1.14/containers/web/top")
	assert.Equal(t, "ps_args=aux", req.Query)

	out.Reset()
	require.NoError(t, cli.Cmd("port", "web", "80"))
	assert.Equal(t, "0.0.0.0:8080\n", out.String())
	assert.EqualError(t, cli.Cmd("port", "web", "53/udp"), "Error: No public port '53/udp' published for web")

	out.Reset()
	require.NoError(t, cli.Cmd("diff", "web"))
	assert.Equal(t, "C /tmp\nA /tmp/x\nD /etc/motd\n", out.String())

	out.Reset()
	require.NoError(t, cli.Cmd("wait", "web"))
	assert.Equal(t, "3\n", out.String())
}

func TestInfo(t *testing.T) {
	d := newFakeDaemon(t)
	d.json("GET /info", 200, map[string]any{"Containers": 2, "Images": 5, "Driver": "vfs", "DriverStatus": [][2]string{{"Root Dir", "/x"}},
		"ExecutionDriver": "native-0.2", "KernelVersion": "6.18", "OperatingSystem": "Debian", "MemoryLimit": true, "SwapLimit": false, "IPv4Forwarding": true})
	cli, out, errOut := d.client("")
	t.Setenv("DEBUG", "")
	require.NoError(t, cli.Cmd("info"))
	assert.Equal(t, "Containers: 2\nImages: 5\nStorage Driver: vfs\n Root Dir: /x\nExecution Driver: native-0.2\nKernel Version: 6.18\nOperating System: Debian\n", out.String())
	assert.Equal(t, "WARNING: No swap limit support\n", errOut.String())
}

func TestKillRmRestartUnpause(t *testing.T) {
	d := newFakeDaemon(t)
	for _, r := range []string{"POST /containers/a/kill", "DELETE /containers/a", "POST /containers/a/restart", "POST /containers/a/unpause"} {
		d.text(r, 204, "")
	}
	cli, out, _ := d.client("")
	require.NoError(t, cli.Cmd("kill", "-s", "HUP", "a"))
	require.NoError(t, cli.Cmd("rm", "-fv", "a"))
	require.NoError(t, cli.Cmd("restart", "a"))
	require.NoError(t, cli.Cmd("unpause", "a"))
	assert.Equal(t, "a\na\na\na\n", out.String())
	req, _ := d.find("POST", "/v1.14/containers/a/kill")
	assert.Equal(t, "signal=HUP", req.Query)
	req, _ = d.find("DELETE", "/v1.14/containers/a")
	assert.Equal(t, "force=1&v=1", req.Query)
	req, _ = d.find("POST", "/v1.14/containers/a/restart")
	assert.Equal(t, "t=10", req.Query)
}

func TestImportLoadSaveExportStreams(t *testing.T) {
	d := newFakeDaemon(t)
	d.on("POST /images/create", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"5111abcd"}`+"\r\n")
	})
	d.on("POST /images/load", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"error":"bad tar","errorDetail":{"message":"bad tar"}}`)
	})
	d.text("GET /images/busybox/get", 200, "TARDATA")
	d.text("GET /containers/web/export", 200, "EXPORTED")
	cli, out, _ := d.client("the tarball")

	require.NoError(t, cli.Cmd("import", "-", "me/img:v1"))
	assert.Equal(t, "5111abcd\n", out.String())
	req, _ := d.find("POST", "/v1.14/images/create")
	assert.Equal(t, "fromSrc=-&repo=me%2Fimg%3Av1", req.Query)
	assert.Equal(t, "the tarball", req.Body)

	assert.EqualError(t, cli.Cmd("load"), "bad tar")

	file := filepath.Join(t.TempDir(), "b.tar")
	require.NoError(t, cli.Cmd("save", "-o", file, "busybox"))
	data, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Equal(t, "TARDATA", string(data))

	out.Reset()
	require.NoError(t, cli.Cmd("export", "web"))
	assert.Equal(t, "EXPORTED", out.String())
}

func TestLogsSplitsStreamsUnlessTty(t *testing.T) {
	d := newFakeDaemon(t)
	d.json("GET /containers/web/json", 200, map[string]any{"Config": map[string]any{"Tty": false}})
	d.on("GET /containers/web/logs", attachHandler(t, false, false, "to out\n", "to err\n", nil))
	cli, out, errOut := d.client("")
	require.NoError(t, cli.Cmd("logs", "-f", "--tail", "2", "web"))
	assert.Equal(t, "to out\n", out.String())
	assert.Equal(t, "to err\n", errOut.String())
	req, _ := d.find("GET", "/v1.14/containers/web/logs")
	assert.Equal(t, "follow=1&stderr=1&stdout=1&tail=2", req.Query)
}

func TestEventsPrintsOneLinePerEvent(t *testing.T) {
	d := newFakeDaemon(t)
	d.on("GET /events", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"status":"create","id":"abc","from":"busybox:latest","time":1400000000}`)
		io.WriteString(w, `{"status":"start","id":"abc","from":"busybox:latest","time":1400000001}`)
	})
	cli, out, _ := d.client("")
	require.NoError(t, cli.Cmd("events", "--since", "1399999999"))
	lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
	require.Len(t, lines, 2)
	assert.True(t, strings.HasSuffix(lines[0], " abc: (from busybox:latest) create"), lines[0])
	assert.True(t, strings.HasPrefix(lines[0], time.Unix(1400000000, 0).Format(time.RFC3339Nano)), lines[0])
	req, _ := d.find("GET", "/v1.14/events")
	assert.Equal(t, "since=1399999999", req.Query)
}

func TestCommitPrintsID(t *testing.T) {
	d := newFakeDaemon(t)
	d.json("POST /commit", 201, map[string]any{"Id": "newimage"})
	cli, out, _ := d.client("")
	require.NoError(t, cli.Cmd("commit", "-m", "msg", "-p=false", "web", "me/img:v2"))
	assert.Equal(t, "newimage\n", out.String())
	req, _ := d.find("POST", "/v1.14/commit")
	assert.Equal(t, "author=&comment=msg&container=web&pause=0&repo=me%2Fimg&tag=v2", req.Query)
	assert.Empty(t, req.Body)
}

func TestCpUnpacksTheDaemonsTar(t *testing.T) {
	d := newFakeDaemon(t)
	d.on("POST /containers/web/copy", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/x-tar")
		tw := tar.NewWriter(w)
		tw.WriteHeader(&tar.Header{Name: "motd", Mode: 0o644, Size: 3, Typeflag: tar.TypeReg})
		tw.Write([]byte("hi\n"))
		tw.Close()
	})
	cli, out, _ := d.client("")
	dir := t.TempDir()
	require.NoError(t, cli.Cmd("cp", "web:/etc/motd", dir))
	data, err := os.ReadFile(filepath.Join(dir, "motd"))
	require.NoError(t, err)
	assert.Equal(t, "hi\n", string(data))
	assert.Empty(t, out.String())
	req, _ := d.find("POST", "/v1.14/containers/web/copy")
	assert.Equal(t, "application/json", req.ContentType)
	assert.JSONEq(t, `{"Resource":"/etc/motd","HostPath":"`+dir+`"}`, req.Body)

	assert.EqualError(t, cli.Cmd("cp", "web", dir), "Error: Path not specified")
	assert.EqualError(t, cli.Cmd("cp", "gone:/x", dir), "No such container: gone")
}

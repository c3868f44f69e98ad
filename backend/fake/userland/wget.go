// wget: busybox's HTTP client, how a container (or the chapter demos)
// checks that a published port or a --link answers (book ch.7 §7.4; note
// 000). busybox networking/wget.c, plain http only:
//
//	wget [-q] [-O FILE] [-T SEC] [-U AGENT] URL
//	-q        quiet: no "Connecting to" and progress lines
//	-O FILE   save to FILE ("-" is stdout); default the URL's last
//	          path element, or index.html
//	-T SEC    give up when the server is silent that long
//
// Messages are busybox's, e.g. "wget: can't connect to remote host
// (172.17.0.2): Connection refused" and "wget: server returned error:
// HTTP/1.1 404 Not Found"; the exit status is 1 on any failure.
package userland

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"path"
	"strconv"
	"strings"
	"time"
)

func init() { register(wgetMain, "wget") }

func wgetMain(p *Process) int {
	flags, args, err := getopt(p.Args[1:], "qO:T:U:Y:cs")
	if err != nil || len(args) != 1 {
		if err != nil {
			fmt.Fprintf(p.Stderr, "wget: %v\n", err)
		}
		fmt.Fprintln(p.Stderr, "Usage: wget [-cqS] [--spider] [-O FILE] [-o LOGFILE] [--header 'HEADER: VALUE'] [-Y on/off]\n\t[--no-check-certificate] [-P DIR] [-U AGENT] [-T SEC] URL...")
		return 1
	}
	_, quiet := flags['q']
	timeout := 900 * time.Second // busybox's default -T
	if v, ok := flags['T']; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			fmt.Fprintf(p.Stderr, "wget: invalid number '%s'\n", v)
			return 1
		}
		timeout = time.Duration(n) * time.Second
	}
	fail := func(format string, a ...any) int {
		fmt.Fprintf(p.Stderr, "wget: "+format+"\n", a...)
		return 1
	}
	u, err := url.Parse(args[0])
	if err == nil && u.Scheme == "" && !strings.Contains(args[0], "://") {
		u, err = url.Parse("http://" + args[0])
	}
	switch {
	case err != nil || u.Host == "":
		return fail("bad address '%s'", args[0])
	case u.Scheme != "http":
		return fail("not an http or ftp url: %s", args[0])
	}
	host, port := u.Hostname(), u.Port()
	if port == "" {
		port = "80"
	}
	ip, err := resolveHost(p, host)
	if err != nil {
		return fail("%v", err)
	}
	addr := net.JoinHostPort(ip.String(), port)
	if !quiet {
		fmt.Fprintf(p.Stderr, "Connecting to %s (%s)\n", u.Host, addr)
	}
	c, err := sysDial(p, addr)
	if err != nil {
		return fail("can't connect to remote host (%s): %s", ip, errText(err))
	}
	defer c.Close()
	go func() { // a kill ends a wait for the server
		<-p.Ctx.Done()
		c.Close()
	}()
	deadline := func() { _ = c.SetDeadline(time.Now().Add(timeout)) }
	deadline()
	reqPath := u.EscapedPath()
	if reqPath == "" {
		reqPath = "/"
	}
	if u.RawQuery != "" {
		reqPath += "?" + u.RawQuery
	}
	agent := "Wget"
	if v, ok := flags['U']; ok {
		agent = v
	}
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: %s\r\nConnection: close\r\n\r\n", reqPath, u.Host, agent)
	r := bufio.NewReader(c)
	status, err := r.ReadString('\n')
	if err != nil {
		if isTimeout(err) {
			return fail("download timed out")
		}
		return fail("error getting response: %s", errText(err))
	}
	status = strings.TrimRight(status, "\r\n")
	f := strings.Fields(status)
	if len(f) < 2 || !strings.HasPrefix(f[0], "HTTP/") {
		return fail("error getting response")
	}
	length := int64(-1)
	for {
		h, err := r.ReadString('\n')
		if err != nil {
			return fail("error getting response")
		}
		h = strings.TrimRight(h, "\r\n")
		if h == "" {
			break
		}
		name, val, _ := strings.Cut(h, ":")
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			length, _ = strconv.ParseInt(strings.TrimSpace(val), 10, 64)
		}
	}
	if f[1] != "200" {
		return fail("server returned error: %s", status)
	}

	outName, toStdout := wgetOutput(u, flags)
	var out io.Writer = p.Stdout
	var file *os.File
	if !toStdout {
		file, err = newFsys(p).OpenFile(outName, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			return fail("can't open '%s': %s", outName, errText(err))
		}
		defer file.Close()
		out = file
	}
	if !quiet {
		if toStdout {
			fmt.Fprintln(p.Stderr, "writing to stdout")
		} else {
			fmt.Fprintf(p.Stderr, "saving to '%s'\n", outName)
		}
	}
	var body io.Reader = r
	if length >= 0 {
		body = io.LimitReader(r, length)
	}
	n, err := io.Copy(out, deadlineReader{body, deadline})
	if err != nil {
		if isTimeout(err) {
			return fail("download timed out")
		}
		if p.Ctx.Err() != nil {
			return killedStatus
		}
		return fail("error getting response: %s", errText(err))
	}
	if !quiet {
		name := outName
		if toStdout {
			name = "-"
		}
		fmt.Fprintf(p.Stderr, "%-20.20s 100%% |%s| %5d  0:00:00 ETA\n", name, strings.Repeat("*", 32), n)
		if toStdout {
			fmt.Fprintln(p.Stderr, "written to stdout")
		} else {
			fmt.Fprintf(p.Stderr, "'%s' saved\n", outName)
		}
	}
	return 0
}

// wgetOutput is -O's file, or the URL's last path element, or index.html.
func wgetOutput(u *url.URL, flags map[byte]string) (string, bool) {
	if v, ok := flags['O']; ok {
		return v, v == "-"
	}
	name := path.Base(u.Path)
	if name == "/" || name == "." || name == "" {
		name = "index.html"
	}
	return name, false
}

// deadlineReader pushes the -T deadline forward after every read: -T is
// how long the server may stay silent, not how long the download takes.
type deadlineReader struct {
	r     io.Reader
	renew func()
}

func (d deadlineReader) Read(b []byte) (int, error) {
	n, err := d.r.Read(b)
	d.renew()
	return n, err
}

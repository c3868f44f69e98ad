// httpd: busybox's tiny web server, the service of `docker run -d -p
// 8080:80 busybox httpd -f -p 80` (book ch.7 §7.4 docker run -p; note 000
// 外界访问容器内部服务的流程). busybox networking/httpd.c, the part a
// container serving static files uses:
//
//	httpd [-f] [-v] [-p [IP:]PORT] [-h HOME]
//	-f        stay in the foreground; without it httpd binds its port,
//	          forks a copy into the background and the command returns
//	          at once — as a container's first process, the container
//	          then ends
//	-p        address to listen on (default port 80, every address)
//	-h HOME   the document root (default ., as busybox)
//	-v        log each request on stderr
//
// GET and HEAD of files under HOME; a directory answers with its
// index.html, or 404; a directory without its final "/" is a 302 to it.
// One request per connection (Connection: close), as busybox's httpd.
package userland

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/url"
	"path"
	"strings"
	"time"
)

func init() { register(httpdMain, "httpd") }

func httpdMain(p *Process) int {
	flags, _, err := getopt(p.Args[1:], "fvp:h:i")
	if err != nil {
		fmt.Fprintf(p.Stderr, "httpd: %v\nUsage: httpd [-ifv[v]] [-c CONFFILE] [-p [IP:]PORT] [-u USER[:GRP]] [-r REALM] [-h HOME]\n", err)
		return 1
	}
	if _, ok := flags['i']; ok {
		fmt.Fprintln(p.Stderr, "httpd: -i (inetd mode) is not simulated")
		return 1
	}
	addr := ":80"
	if v, ok := flags['p']; ok {
		if addr, err = hostPort(v, ""); err != nil {
			fmt.Fprintf(p.Stderr, "httpd: %v\n", err)
			return 1
		}
	}
	home := "." // busybox: "Home directory (default .)"
	if v, ok := flags['h']; ok {
		home = v
	}
	home = absPath(p.Dir, home)
	if info, err := newFsys(p).Stat(home); err != nil || !info.IsDir() {
		fmt.Fprintf(p.Stderr, "httpd: can't change directory to '%s': %s\n", home, errTextOr(err, "Not a directory"))
		return 1
	}
	l, err := sysListen(p, addr)
	if err != nil {
		fmt.Fprintf(p.Stderr, "httpd: bind: %s\n", errText(err))
		return 1
	}
	if _, fg := flags['f']; !fg {
		// Daemonise: the port is ours, so the background copy will
		// get it too; the parent returns at once.
		l.Close()
		child := *p
		child.Args = append([]string{p.Args[0], "-f"}, p.Args[1:]...)
		go p.Sys.Spawn(&child)
		return 0
	}
	_, verbose := flags['v']
	return serveHTTP(p, l, home, verbose)
}

func errTextOr(err error, def string) string {
	if err == nil {
		return def
	}
	return errText(err)
}

// serveHTTP accepts until the process is killed.
func serveHTTP(p *Process, l net.Listener, home string, verbose bool) int {
	go func() {
		<-p.Ctx.Done()
		l.Close()
	}()
	for {
		c, err := l.Accept()
		if err != nil {
			if p.Ctx.Err() != nil {
				return killedStatus
			}
			fmt.Fprintf(p.Stderr, "httpd: accept: %s\n", errText(err))
			return 1
		}
		go handleHTTP(p, c, home, verbose)
	}
}

// handleHTTP answers one request.
func handleHTTP(p *Process, c net.Conn, home string, verbose bool) {
	defer c.Close()
	_ = c.SetReadDeadline(time.Now().Add(60 * time.Second)) // busybox's header timeout
	r := bufio.NewReader(c)
	line, err := r.ReadString('\n')
	if err != nil {
		return
	}
	for { // the headers: nothing in them changes a static answer
		h, err := r.ReadString('\n')
		if err != nil || strings.TrimRight(h, "\r\n") == "" {
			break
		}
	}
	f := strings.Fields(line)
	if len(f) < 2 {
		httpError(c, 400, "Bad Request", "No request appeared to be found")
		return
	}
	method, target := f[0], f[1]
	if verbose {
		fmt.Fprintf(p.Stderr, "%s: url:%s\n", c.RemoteAddr(), target)
	}
	if method != "GET" && method != "HEAD" {
		httpError(c, 501, "Not Implemented", "The requested method is not recognized")
		return
	}
	u, err := url.Parse(target)
	if err != nil || !strings.HasPrefix(u.Path, "/") {
		httpError(c, 400, "Bad Request", "No request appeared to be found")
		return
	}
	// path.Clean keeps ".." from leaving HOME, as busybox's own check does.
	rel := path.Clean(u.Path)
	file := path.Join(home, rel)
	fsys := newFsys(p)
	info, err := fsys.Stat(file)
	if err == nil && info.IsDir() {
		if !strings.HasSuffix(u.Path, "/") {
			fmt.Fprintf(c, "HTTP/1.1 302 Found\r\nContent-type: text/html\r\nLocation: %s/\r\nConnection: close\r\n\r\n", u.Path)
			return
		}
		file = path.Join(file, "index.html")
		info, err = fsys.Stat(file)
	}
	if err != nil || info.IsDir() {
		httpError(c, 404, "Not Found", "The requested URL was not found")
		return
	}
	body, err := fsys.ReadFile(file)
	if err != nil {
		httpError(c, 403, "Forbidden", "")
		return
	}
	fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-type: %s\r\nDate: %s\r\nConnection: close\r\nLast-Modified: %s\r\nContent-Length: %d\r\n\r\n",
		contentType(file), httpDate(time.Now()), httpDate(info.ModTime()), len(body))
	if method == "GET" {
		_, _ = c.Write(body)
	}
}

// httpError sends busybox's error page.
func httpError(w io.Writer, code int, reason, info string) {
	body := fmt.Sprintf("<HTML><HEAD><TITLE>%d %s</TITLE></HEAD>\n<BODY><H1>%d %s</H1>\n%s\n</BODY></HTML>\n",
		code, reason, code, reason, info)
	fmt.Fprintf(w, "HTTP/1.1 %d %s\r\nContent-type: text/html\r\nDate: %s\r\nConnection: close\r\n\r\n%s",
		code, reason, httpDate(time.Now()), body)
}

func httpDate(t time.Time) string { return t.UTC().Format(time.RFC1123) }

// contentType is busybox's suffix table, the common part.
func contentType(name string) string {
	switch strings.ToLower(path.Ext(name)) {
	case ".html", ".htm":
		return "text/html"
	case ".txt", ".h", ".c", ".cc", ".cpp":
		return "text/plain"
	case ".css":
		return "text/css"
	case ".js":
		return "application/javascript"
	case ".json":
		return "application/json"
	case ".png":
		return "image/png"
	case ".gif":
		return "image/gif"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".xml":
		return "text/xml"
	}
	return "application/octet-stream"
}

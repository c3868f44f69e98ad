// Server: the commands the daemon answers over rcli, one Cmd<Name> method
// each, found by reflection (rcli.LocalCall).
//
// Upstream: commands.go at v0.1.0 (Server, NewServer, Name, Help,
// CmdVersion, CmdInfo, CmdImages, CmdImport, CmdRmi, CmdTag, CmdHistory,
// CmdInspect, CmdPull, CmdPush, CmdLogin). See docs/upstream/v0.1.0.md §4,
// §5, §9.16.
// Notes: 002 "创建tcp服务端", "command" (tcp call and local call: the client
// sends the arguments as JSON to 127.0.0.1:4242, the server calls Cmd<Name>
// by reflection; the note does not walk the image commands).
//
// The image commands keep upstream's flags, usage lines and output
// formats; inspect also shows images.
//
// The container commands are in commands_containers.go.
//
// pull, push and login speak the 2013 protocol (registry.go) to the
// daemon's --registry (dockerlab's registry; 0.1.0 had only
// registry.docker.io, which is gone).
//
// Divergences (docs/divergences.md):
//   - "v0.1 import without network": `import URL` refuses at once (no
//     download); `import FILE` reads a local tarball, which 0.1.0 would
//     have turned into http://FILE;
//   - "v0.1 images order": rows are sorted (repository, tag, id) where
//     0.1.0 printed them in Go's random map order;
//   - NewServer does not insist on amd64 (0.1.0 called log.Fatalf).
package docker

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/dockerlab/dockerlab/backend"
	"github.com/dockerlab/dockerlab/v0_1/auth"
	"github.com/dockerlab/dockerlab/v0_1/rcli"
)

// VERSION is the version the daemon reports.
const VERSION = "0.1.0"

// Server is the rcli service: every exported Cmd<Name> method is a command.
type Server struct {
	runtime *Runtime
}

// NewServer builds the runtime at root on host (root "" is DefaultRoot).
func NewServer(host backend.Host, root string) (*Server, error) {
	if root == "" {
		root = DefaultRoot()
	}
	runtime, err := NewRuntimeFromDirectory(host, root)
	if err != nil {
		return nil, err
	}
	return &Server{runtime: runtime}, nil
}

// SetRegistry points pull, push and login at a registry of our own
// ("http://127.0.0.1:5000": /v1 is added). Not upstream: 0.1.0 knew only
// registry.docker.io.
func (srv *Server) SetRegistry(url string) {
	srv.runtime.registry = strings.TrimSuffix(strings.TrimSuffix(url, "/"), "/v1") + "/v1"
}

// Runtime is the server's runtime.
func (srv *Server) Runtime() *Runtime { return srv.runtime }

// Name is the service's name, used in the daemon's log lines.
func (srv *Server) Name() string { return "docker" }

// helpCommands is 0.1.0's list as it printed it: "ps" and "run" twice,
// "tag" missing (it works all the same).
var helpCommands = [][2]string{
	{"run", "Run a command in a container"},
	{"ps", "Display a list of containers"},
	{"import", "Create a new filesystem image from the contents of a tarball"},
	{"attach", "Attach to a running container"},
	{"commit", "Create a new image from a container's changes"},
	{"history", "Show the history of an image"},
	{"diff", "Inspect changes on a container's filesystem"},
	{"images", "List images"},
	{"info", "Display system-wide information"},
	{"inspect", "Return low-level information on a container"},
	{"kill", "Kill a running container"},
	{"login", "Register or Login to the docker registry server"},
	{"logs", "Fetch the logs of a container"},
	{"port", "Lookup the public-facing port which is NAT-ed to PRIVATE_PORT"},
	{"ps", "List containers"},
	{"pull", "Pull an image or a repository to the docker registry server"},
	{"push", "Push an image or a repository to the docker registry server"},
	{"restart", "Restart a running container"},
	{"rm", "Remove a container"},
	{"rmi", "Remove an image"},
	{"run", "Run a command in a new container"},
	{"start", "Start a stopped container"},
	{"stop", "Stop a running container"},
	{"export", "Stream the contents of a container as a tar archive"},
	{"version", "Show the docker version information"},
	{"wait", "Block until a container stops, then print its exit code"},
}

// Help is the text of `docker` and `docker help`.
func (srv *Server) Help() string {
	var b strings.Builder
	b.WriteString("Usage: docker COMMAND [arg...]\n\nA self-sufficient runtime for linux containers.\n\nCommands:\n")
	for _, c := range helpCommands {
		fmt.Fprintf(&b, "    %-10.10s%s\n", c[0], c[1])
	}
	return b.String()
}

// CmdVersion prints the version; arguments are ignored, as in 0.1.0.
func (srv *Server) CmdVersion(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	fmt.Fprintf(stdout, "Version:%s\n", VERSION)
	return nil
}

// CmdInfo prints the number of containers and images.
func (srv *Server) CmdInfo(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "info", "", "Display system-wide information.")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() > 0 {
		cmd.Usage()
		return nil
	}
	images, err := srv.runtime.graph.All()
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "containers: %d\nversion: %s\nimages: %d\n", len(srv.runtime.List()), VERSION, len(images))
	return nil
}

// CmdImport creates an image from a tarball: "-" reads it from the
// client's stdin, a path reads a local file. The image may be tagged.
func (srv *Server) CmdImport(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "import", "[OPTIONS] URL|- [REPOSITORY [TAG]]", "Create a new filesystem image from the contents of a tarball")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	src := cmd.Arg(0)
	if src == "" {
		cmd.Usage()
		return nil
	}
	repository, tag := cmd.Arg(1), cmd.Arg(2)
	var archive io.Reader
	if src == "-" {
		archive = stdin
	} else {
		f, err := openImportSource(src)
		if err != nil {
			return err
		}
		defer f.Close()
		archive = f
	}
	img, err := srv.runtime.graph.Create(archive, nil, "Imported from "+src)
	if err != nil {
		return err
	}
	if repository != "" {
		if err := srv.runtime.repositories.Set(repository, tag, img.Id, true); err != nil {
			return err
		}
	}
	fmt.Fprintln(stdout, img.Id)
	return nil
}

// openImportSource opens a local tarball. 0.1.0 downloaded src over HTTP
// (a bare word became http://WORD); dockerlab has no network, so a URL is
// refused with a message saying what to do instead.
func openImportSource(src string) (*os.File, error) {
	if f, err := os.Open(src); err == nil {
		return f, nil
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	u, err := url.Parse(src)
	if err != nil || u.Scheme == "" {
		u = &url.URL{Scheme: "http", Host: src}
	}
	return nil, fmt.Errorf("import %s: no such file, and no network: Docker 0.1.0 would have downloaded %s, dockerlab only imports a local tarball (a path, or - for stdin)", src, u)
}

// CmdRmi deletes images by id (usage says "rmimage", as in 0.1.0). Tags
// are not looked up and are left pointing at the deleted image.
func (srv *Server) CmdRmi(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "rmimage", "[OPTIONS] IMAGE", "Remove an image")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() < 1 {
		cmd.Usage()
		return nil
	}
	for _, name := range cmd.Args() {
		if err := srv.runtime.graph.Delete(name); err != nil {
			return err
		}
	}
	return nil
}

// CmdTag names an image REPOSITORY[:TAG].
func (srv *Server) CmdTag(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "tag", "[OPTIONS] IMAGE REPOSITORY [TAG]", "Tag an image into a repository")
	force := cmd.Bool("f", false, "Force")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() < 2 {
		cmd.Usage()
		return nil
	}
	return srv.runtime.repositories.Set(cmd.Arg(1), cmd.Arg(2), cmd.Arg(0), *force)
}

// CmdHistory lists an image and its parents, newest first.
func (srv *Server) CmdHistory(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "history", "[OPTIONS] IMAGE", "Show the history of an image")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() != 1 {
		cmd.Usage()
		return nil
	}
	image, err := srv.lookupImage(cmd.Arg(0))
	if err != nil {
		return err
	}
	history, err := image.History()
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 20, 1, 3, ' ', 0)
	fmt.Fprintf(w, "ID\tCREATED\tCREATED BY\n")
	for _, img := range history {
		fmt.Fprintf(w, "%s\t%s\t%s\n",
			srv.runtime.repositories.ImageName(img.Id),
			HumanDuration(time.Since(img.Created))+" ago",
			strings.Join(img.ContainerConfig.Cmd, " "))
	}
	return w.Flush()
}

// lookupImage resolves an id or REPOSITORY[:TAG] to a stored image
// (0.1.0's TagStore.LookupImage).
func (srv *Server) lookupImage(name string) (*Image, error) {
	id, err := srv.runtime.repositories.LookupImageID(name)
	if err != nil {
		return nil, err
	}
	return srv.runtime.graph.Get(id)
}

// CmdImages lists tagged images, then (without NAME) the untagged ones:
// only heads (images nothing is built on), or all with -a.
func (srv *Server) CmdImages(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "images", "[OPTIONS] [NAME]", "List images")
	quiet := cmd.Bool("q", false, "only show numeric IDs")
	flAll := cmd.Bool("a", false, "show all images")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() > 1 {
		cmd.Usage()
		return nil
	}
	nameFilter := cmd.Arg(0)
	store := srv.runtime.repositories
	if err := store.Reload(); err != nil {
		return err
	}
	var allImages map[string]*Image
	var err error
	if *flAll {
		allImages, err = srv.runtime.graph.Map()
	} else {
		allImages, err = srv.runtime.graph.Heads()
	}
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(stdout, 20, 1, 3, ' ', 0)
	if !*quiet {
		fmt.Fprintf(w, "REPOSITORY\tTAG\tID\tCREATED\tPARENT\n")
	}
	row := func(repo, tag string, image *Image) {
		if *quiet {
			fmt.Fprintln(w, image.Id)
			return
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", repo, tag, image.Id,
			HumanDuration(time.Since(image.Created))+" ago",
			store.ImageName(image.Parent))
	}
	for _, name := range sortedKeys(store.Repositories) {
		if nameFilter != "" && name != nameFilter {
			continue
		}
		repository := store.Repositories[name]
		for _, tag := range sortedKeys(repository) {
			id := repository[tag]
			image, err := srv.runtime.graph.Get(id)
			if err != nil {
				Debugf("images: %s:%s points at %s: %v", name, tag, id, err)
				continue
			}
			delete(allImages, id)
			row(name, tag, image)
		}
	}
	if nameFilter == "" {
		// Untagged: whatever the tagged rows did not show.
		for _, id := range sortedKeys(allImages) {
			row("<none>", "<none>", allImages[id])
		}
	}
	return w.Flush()
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// CmdInspect prints a container's config.json, or else an image's json,
// indented. An unknown name prints nothing, on purpose, as in 0.1.0.
func (srv *Server) CmdInspect(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "inspect", "[OPTIONS] CONTAINER", "Return low-level information on a container")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	if cmd.NArg() < 1 {
		cmd.Usage()
		return nil
	}
	name := cmd.Arg(0)
	var data []byte
	var err error
	if container := srv.runtime.Get(name); container != nil {
		container.lock.Lock()
		data, err = json.MarshalIndent(container, "", "    ")
		container.lock.Unlock()
	} else if image, lookupErr := srv.lookupImage(name); lookupErr == nil {
		data, err = json.MarshalIndent(image, "", "    ")
	} else {
		return nil
	}
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "%s\n", data)
	return err
}

// CmdPull fetches an image (by id) or a repository from the registry.
func (srv *Server) CmdPull(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "pull", "IMAGE", "Pull an image or a repository to the docker registry server")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	remote := cmd.Arg(0)
	if remote == "" {
		cmd.Usage()
		return nil
	}
	rt := srv.runtime
	if rt.graph.LookupRemoteImage(rt.registry, remote, rt.authConfig) {
		fmt.Fprintf(stdout, "Pulling %s...\n", remote)
		if err := rt.graph.PullImage(rt.registry, remote, rt.authConfig); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Pulled\n")
		return nil
	}
	fmt.Fprintf(stdout, "Pulling %s...\n", remote)
	if err := rt.graph.PullRepository(stdout, rt.registry, remote, "", rt.repositories, rt.authConfig); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Pull completed\n")
	return nil
}

// CmdPush sends an image (by id) or a repository to the registry. A name
// without "user/" is pushed as <login user>/<name>.
func (srv *Server) CmdPush(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "push", "LOCAL", "Push an image or a repository to the docker registry server")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	local := cmd.Arg(0)
	if local == "" {
		cmd.Usage()
		return nil
	}
	rt := srv.runtime
	remote := local
	if !strings.Contains(local, "/") {
		if rt.authConfig.Username == "" {
			// 0.1.0 pushed to "/<name>" here, which no registry accepts.
			return fmt.Errorf("Please login prior to push ('docker login'), or name the repository <user>/%s", local)
		}
		remote = rt.authConfig.Username + "/" + local
	}
	img, err := rt.graph.Get(local)
	if err != nil {
		localRepo, err := rt.repositories.Get(local)
		if err != nil {
			return err
		}
		if localRepo == nil {
			return fmt.Errorf("No such image or repository: %s", local)
		}
		fmt.Fprintf(stdout, "Pushing %s (%d tags) on %s...\n", local, len(localRepo), remote)
		if err := rt.graph.PushRepository(stdout, rt.registry, remote, localRepo, rt.authConfig); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "Push completed\n")
		return nil
	}
	fmt.Fprintf(stdout, "Pushing image %s..\n", img.Id)
	if err := rt.graph.PushImage(stdout, rt.registry, img, rt.authConfig); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Push completed\n")
	return nil
}

// CmdLogin registers or logs in at the registry, reading the username
// (and, for a new one, the password and email) from the client.
func (srv *Server) CmdLogin(stdin io.ReadCloser, stdout io.Writer, args ...string) error {
	cmd := rcli.Subcmd(stdout, "login", "", "Register or Login to the docker server")
	if err := cmd.Parse(args); err != nil {
		return nil
	}
	rt := srv.runtime
	var username, password, email string
	fmt.Fprint(stdout, "Username (", rt.authConfig.Username, "): ")
	fmt.Fscanf(stdin, "%s\n", &username)
	if username == "" {
		username = rt.authConfig.Username
	}
	if username != rt.authConfig.Username {
		fmt.Fprint(stdout, "Password: ")
		fmt.Fscanf(stdin, "%s\n", &password)
		if password == "" {
			return errors.New("Error : Password Required")
		}
		fmt.Fprint(stdout, "Email (", rt.authConfig.Email, "): ")
		fmt.Fscanf(stdin, "%s\n", &email)
		if email == "" {
			email = rt.authConfig.Email
		}
	} else {
		password, email = rt.authConfig.Password, rt.authConfig.Email
	}
	newAuthConfig := auth.NewAuthConfig(username, password, email, rt.root)
	status, err := auth.Login(newAuthConfig, strings.TrimSuffix(rt.registry, "/v1"))
	if err != nil {
		fmt.Fprintf(stdout, "Error : %s\n", err)
	}
	fmt.Fprint(stdout, status)
	return nil
}

// The registry commands: pull, push, search, and run's pull of a missing
// image. The client sends them as Docker 1.2 did; the daemon has no
// registry to reach, and its jobs answer so (v1_2/graph's pull and push,
// v1_2/registry's search) — the message comes back as the command's error.
//
// Upstream: api/client/commands.go at v1.2.0 (CmdPull, CmdPush, CmdSearch,
// pullImage).
// Book: ch.9 §9.3 (the client side of docker pull: 解析参数, 认证, API请求).
//
// Left out: the credentials of ~/.dockercfg (CmdLogin, LoadConfigFile).
// X-Registry-Auth carries an empty AuthConfig, which is what 1.2 sent for
// a user who never logged in. Fixed: 1.2's CmdPull set "tag" only when
// --tag was empty (an inverted test); here a given --tag is sent.
package client

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strings"
	"text/tabwriter"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
)

// registryAuthHeader is X-Registry-Auth for a user with no saved login.
func registryAuthHeader() map[string][]string {
	return map[string][]string{"X-Registry-Auth": {base64.URLEncoding.EncodeToString([]byte("{}"))}}
}

// CmdPull posts /images/create?fromImage=NAME&tag=TAG and prints the
// progress stream.
func (cli *DockerCli) CmdPull(args ...string) error {
	cmd := cli.Subcmd("pull", "NAME[:TAG]", "Pull an image or a repository from the registry")
	tag := stringFlag(cmd, []string{"#t", "#-tag"}, "", "Download tagged image in a repository")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	v := url.Values{}
	v.Set("fromImage", cmd.Arg(0))
	if *tag != "" {
		v.Set("tag", *tag)
	}
	return cli.stream("POST", "/images/create?"+v.Encode(), nil, cli.out, registryAuthHeader())
}

// pullImage is run's pull of a missing image (only "latest" when the
// name has no tag), its progress on stderr.
func (cli *DockerCli) pullImage(image string) error {
	repos, tag := graph.ParseRepositoryTag(image)
	if tag == "" {
		tag = "latest"
	}
	v := url.Values{}
	v.Set("fromImage", repos)
	v.Set("tag", tag)
	return cli.stream("POST", "/images/create?"+v.Encode(), nil, cli.err, registryAuthHeader())
}

// CmdPush posts /images/NAME/push?tag=TAG. A name without a user part
// ("busybox") is refused before asking, as 1.2 refused "root" repositories.
func (cli *DockerCli) CmdPush(args ...string) error {
	cmd := cli.Subcmd("push", "NAME[:TAG]", "Push an image or a repository to the registry")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	name := cmd.Arg(0)
	if name == "" {
		return usage(cmd)
	}
	remote, tag := graph.ParseRepositoryTag(name)
	if len(strings.SplitN(name, "/", 2)) == 1 {
		return fmt.Errorf("You cannot push a \"root\" repository. Please rename your repository in <user>/<repo> (ex: %s/%s)", "<user>", name)
	}
	v := url.Values{}
	v.Set("tag", tag)
	return cli.stream("POST", "/images/"+remote+"/push?"+v.Encode(), nil, cli.out, registryAuthHeader())
}

// CmdSearch asks GET /images/search?term=TERM and prints the table.
func (cli *DockerCli) CmdSearch(args ...string) error {
	cmd := cli.Subcmd("search", "TERM", "Search the Docker Hub for images")
	noTrunc := boolFlag(cmd, []string{"#notrunc", "-no-trunc"}, false, "Don't truncate output")
	trusted := boolFlag(cmd, []string{"#t", "#trusted", "#-trusted"}, false, "Only show trusted builds")
	automated := boolFlag(cmd, []string{"-automated"}, false, "Only show automated builds")
	stars := intFlag(cmd, []string{"s", "#stars", "-stars"}, 0, "Only displays with at least x stars")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	v := url.Values{}
	v.Set("term", cmd.Arg(0))
	body, _, err := readBody(cli.call("GET", "/images/search?"+v.Encode(), nil, true))
	if err != nil {
		return err
	}
	outs := engine.NewTable("star_count", 0)
	if _, err := outs.ReadListFrom(body); err != nil {
		return err
	}
	w := tabwriter.NewWriter(cli.out, 10, 1, 3, ' ', 0)
	fmt.Fprintf(w, "NAME\tDESCRIPTION\tSTARS\tOFFICIAL\tAUTOMATED\n")
	for _, out := range outs.Data {
		isAutomated := out.GetBool("is_trusted") || out.GetBool("is_automated")
		if ((*automated || *trusted) && !isAutomated) || *stars > out.GetInt("star_count") {
			continue
		}
		desc := strings.NewReplacer("\n", " ", "\r", " ").Replace(out.Get("description"))
		if !*noTrunc && len(desc) > 45 {
			desc = trunc(desc, 42) + "..."
		}
		official, auto := "", ""
		if out.GetBool("is_official") {
			official = "[OK]"
		}
		if isAutomated {
			auto = "[OK]"
		}
		fmt.Fprintf(w, "%s\t%s\t%d\t%s\t%s\n", out.Get("name"), desc, out.GetInt("star_count"), official, auto)
	}
	return w.Flush()
}

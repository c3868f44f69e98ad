// The registry commands: login, logout, pull, push, search, and run's
// pull of a missing image. The credentials live in ~/.dockercfg and go
// to the daemon base64url-encoded in X-Registry-Auth.
//
// Upstream: api/client/commands.go at v1.2.0 (CmdLogin, CmdLogout, CmdPull,
// CmdPush, CmdSearch, pullImage), api/client/cli.go at v1.2.0 (LoadConfigFile).
// Book: ch.9 §9.3 Docker Client (§9.3.1 解析镜像参数, §9.3.2 配置认证信息,
// §9.3.3 发送API请求).
//
// Fixed: 1.2's CmdPull set "tag" only when --tag was empty (an inverted
// test); here a given --tag is sent. 1.2's login echoed nothing while
// reading the password from a terminal; here the password is read from a
// line (-p, or stdin), as the tests and the chapter demos type it.
package client

import (
	"bufio"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/registry"
)

// loadConfigFile reads ~/.dockercfg; a broken file is reported and
// treated as empty, as 1.2 did.
func (cli *DockerCli) loadConfigFile() *registry.ConfigFile {
	cfg, err := registry.LoadConfig(os.Getenv("HOME"))
	if err != nil {
		fmt.Fprintf(cli.err, "WARNING: %s\n", err)
	}
	return cfg
}

// registryAuthHeader is X-Registry-Auth for the registry of a name: the
// saved account of that registry, or {} for none.
func (cli *DockerCli) registryAuthHeader(name string) (map[string][]string, error) {
	hostname, _, err := registry.ResolveRepositoryName(name)
	if err != nil {
		return nil, err
	}
	authConfig := cli.loadConfigFile().ResolveAuthConfig(hostname)
	buf, err := json.Marshal(authConfig)
	if err != nil {
		return nil, err
	}
	return map[string][]string{"X-Registry-Auth": {base64.URLEncoding.EncodeToString(buf)}}, nil
}

// CmdLogin posts the account to /auth and, on success, saves it.
func (cli *DockerCli) CmdLogin(args ...string) error {
	cmd := cli.Subcmd("login", "[OPTIONS] [SERVER]", "Register or log in to a Docker registry server, if no server is specified \""+registry.IndexServerAddress()+"\" is the default.")
	username := stringFlag(cmd, []string{"u", "-username"}, "", "Username")
	password := stringFlag(cmd, []string{"p", "-password"}, "", "Password")
	email := stringFlag(cmd, []string{"e", "-email"}, "", "Email")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	serverAddress := registry.IndexServerAddress()
	if cmd.NArg() > 0 {
		serverAddress = cmd.Arg(0)
	}
	var in *bufio.Reader
	if cli.in != nil {
		in = bufio.NewReader(cli.in)
	}
	prompt := func(what, def string) string {
		if def == "" {
			fmt.Fprintf(cli.out, "%s: ", what)
		} else {
			fmt.Fprintf(cli.out, "%s (%s): ", what, def)
		}
		if in == nil {
			return ""
		}
		line, _ := in.ReadString('\n')
		return strings.TrimRight(line, "\r\n")
	}
	configFile := cli.loadConfigFile()
	authconfig := configFile.Configs[serverAddress]
	if *username == "" {
		if *username = prompt("Username", authconfig.Username); *username == "" {
			*username = authconfig.Username
		}
	}
	if *username != authconfig.Username {
		if *password == "" {
			if *password = prompt("Password", ""); *password == "" {
				return fmt.Errorf("Error : Password Required")
			}
		}
		if *email == "" {
			if *email = prompt("Email", authconfig.Email); *email == "" {
				*email = authconfig.Email
			}
		}
	} else {
		*password, *email = authconfig.Password, authconfig.Email
	}
	authconfig.Username, authconfig.Password, authconfig.Email = *username, *password, *email
	authconfig.ServerAddress = serverAddress
	configFile.Configs[serverAddress] = authconfig

	stream, statusCode, err := cli.call("POST", "/auth", authconfig, false)
	if statusCode == 401 {
		delete(configFile.Configs, serverAddress)
		registry.SaveConfig(configFile)
		return err
	}
	if err != nil {
		return err
	}
	var out engine.Env
	if err := out.Decode(stream); err != nil {
		return err
	}
	if err := registry.SaveConfig(configFile); err != nil {
		return err
	}
	if s := out.Get("Status"); s != "" {
		fmt.Fprintf(cli.out, "%s\n", s)
	}
	return nil
}

// CmdLogout forgets the saved account of a server.
func (cli *DockerCli) CmdLogout(args ...string) error {
	cmd := cli.Subcmd("logout", "[SERVER]", "Log out from a Docker registry, if no server is specified \""+registry.IndexServerAddress()+"\" is the default.")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	serverAddress := registry.IndexServerAddress()
	if cmd.NArg() > 0 {
		serverAddress = cmd.Arg(0)
	}
	configFile := cli.loadConfigFile()
	if _, ok := configFile.Configs[serverAddress]; !ok {
		fmt.Fprintf(cli.out, "Not logged in to %s\n", serverAddress)
		return nil
	}
	fmt.Fprintf(cli.out, "Remove login credentials for %s\n", serverAddress)
	delete(configFile.Configs, serverAddress)
	return registry.SaveConfig(configFile)
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
	//lab:begin ch01.pull-request
	//lab:stub _ = tag
	//lab:stub return lab.TODO("ch01.pull-request")
	remote, parsedTag := graph.ParseRepositoryTag(cmd.Arg(0))
	if *tag == "" {
		*tag = parsedTag
	}
	headers, err := cli.registryAuthHeader(remote)
	if err != nil {
		return err
	}
	v := url.Values{}
	v.Set("fromImage", remote)
	if *tag != "" {
		v.Set("tag", *tag)
	}
	return cli.stream("POST", "/images/create?"+v.Encode(), nil, cli.out, headers)
	//lab:end ch01.pull-request
}

// pullImage is run's pull of a missing image (only "latest" when the
// name has no tag), its progress on stderr.
func (cli *DockerCli) pullImage(image string) error {
	repos, tag := graph.ParseRepositoryTag(image)
	if tag == "" {
		tag = "latest"
	}
	headers, err := cli.registryAuthHeader(repos)
	if err != nil {
		return err
	}
	v := url.Values{}
	v.Set("fromImage", repos)
	v.Set("tag", tag)
	return cli.stream("POST", "/images/create?"+v.Encode(), nil, cli.err, headers)
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
	if len(strings.SplitN(remote, "/", 2)) == 1 {
		return fmt.Errorf("You cannot push a \"root\" repository. Please rename your repository in <user>/<repo> (ex: %s/%s)", "<user>", name)
	}
	headers, err := cli.registryAuthHeader(remote)
	if err != nil {
		return err
	}
	v := url.Values{}
	v.Set("tag", tag)
	return cli.stream("POST", "/images/"+remote+"/push?"+v.Encode(), nil, cli.out, headers)
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

// Image commands: images, import, tag, rmi, history, save, load.
//
// Upstream: api/client/commands.go at v1.2.0 (CmdImages, CmdImport, CmdTag,
// CmdRmi, CmdHistory, CmdSave, CmdLoad).
// Book: ch.2 §2.3; the daemon's side is ch.8 (graph) and the image jobs.
//
// Left out: images --tree/--viz (deprecated in 1.2 already), and the
// client-side check of a repository name against the registry's rules
// (registry.ResolveRepositoryName): the daemon's tag and pull jobs check.
package client

import (
	"fmt"
	"io"
	"net/url"
	"os"
	"text/tabwriter"

	"github.com/dockerlab/dockerlab/v1_2/engine"
	"github.com/dockerlab/dockerlab/v1_2/graph"
	"github.com/dockerlab/dockerlab/v1_2/opts"
	"github.com/dockerlab/dockerlab/v1_2/pkg/parsers/filters"
	"github.com/dockerlab/dockerlab/v1_2/pkg/units"
)

// CmdImages lists GET /images/json: one row per repository:tag.
func (cli *DockerCli) CmdImages(args ...string) error {
	cmd := cli.Subcmd("images", "[OPTIONS] [NAME]", "List images")
	quiet := boolFlag(cmd, []string{"q", "-quiet"}, false, "Only show numeric IDs")
	all := boolFlag(cmd, []string{"a", "-all"}, false, "Show all images (by default filter out the intermediate image layers)")
	noTrunc := boolFlag(cmd, []string{"#notrunc", "-no-trunc"}, false, "Don't truncate output")
	flFilter := opts.NewListOpts(nil)
	varFlag(cmd, &flFilter, []string{"f", "-filter"}, "Provide filter values (i.e. 'dangling=true')")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() > 1 {
		return usage(cmd)
	}

	// The filters are checked here and applied by the daemon.
	imageFilterArgs := filters.Args{}
	for _, f := range flFilter.GetAll() {
		var err error
		if imageFilterArgs, err = filters.ParseFlag(f, imageFilterArgs); err != nil {
			return err
		}
	}
	v := url.Values{}
	if len(imageFilterArgs) > 0 {
		filterJSON, err := filters.ToParam(imageFilterArgs)
		if err != nil {
			return err
		}
		v.Set("filters", filterJSON)
	}
	if cmd.NArg() == 1 {
		v.Set("filter", cmd.Arg(0)) // a repository name, not a --filter
	}
	if *all {
		v.Set("all", "1")
	}
	body, _, err := readBody(cli.call("GET", "/images/json?"+v.Encode(), nil, false))
	if err != nil {
		return err
	}
	outs := engine.NewTable("Created", 0)
	if _, err := outs.ReadListFrom(body); err != nil {
		return err
	}

	w := tabwriter.NewWriter(cli.out, 20, 1, 3, ' ', 0)
	if !*quiet {
		fmt.Fprintln(w, "REPOSITORY\tTAG\tIMAGE ID\tCREATED\tVIRTUAL SIZE")
	}
	for _, out := range outs.Data {
		for _, repotag := range out.GetList("RepoTags") {
			repo, tag := graph.ParseRepositoryTag(repotag)
			outID := out.Get("Id")
			if !*noTrunc {
				outID = truncateID(outID)
			}
			if *quiet {
				fmt.Fprintln(w, outID)
				continue
			}
			fmt.Fprintf(w, "%s\t%s\t%s\t%s ago\t%s\n", repo, tag, outID, since(out.GetInt64("Created")), units.HumanSize(out.GetInt64("VirtualSize")))
		}
	}
	return w.Flush()
}

// CmdImport posts a tarball (a URL, or - for stdin) to
// /images/create?fromSrc=…, optionally tagging it.
func (cli *DockerCli) CmdImport(args ...string) error {
	cmd := cli.Subcmd("import", "URL|- [REPOSITORY[:TAG]]", "Create an empty filesystem image and import the contents of the tarball (.tar, .tar.gz, .tgz, .bzip, .tar.xz, .txz) into it, then optionally tag it.")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	var (
		v          = url.Values{}
		src        = cmd.Arg(0)
		repository = cmd.Arg(1)
	)
	v.Set("fromSrc", src)
	v.Set("repo", repository)
	if cmd.NArg() == 3 {
		fmt.Fprintf(cli.err, "[DEPRECATED] The format 'URL|- [REPOSITORY [TAG]]' as been deprecated. Please use URL|- [REPOSITORY[:TAG]]\n")
		v.Set("tag", cmd.Arg(2))
	}
	var in io.Reader
	if src == "-" {
		in = cli.in
	}
	return cli.stream("POST", "/images/create?"+v.Encode(), in, cli.out, nil)
}

// CmdTag posts /images/NAME/tag?repo=&tag=; it prints nothing.
func (cli *DockerCli) CmdTag(args ...string) error {
	cmd := cli.Subcmd("tag", "[OPTIONS] IMAGE[:TAG] [REGISTRYHOST/][USERNAME/]NAME[:TAG]", "Tag an image into a repository")
	force := boolFlag(cmd, []string{"f", "#force", "-force"}, false, "Force")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 2 {
		return usage(cmd)
	}
	repository, tag := graph.ParseRepositoryTag(cmd.Arg(1))
	v := url.Values{}
	v.Set("repo", repository)
	v.Set("tag", tag)
	if *force {
		v.Set("force", "1")
	}
	_, _, err := readBody(cli.call("POST", "/images/"+cmd.Arg(0)+"/tag?"+v.Encode(), nil, false))
	return err
}

// CmdRmi deletes each image (DELETE /images/NAME) and prints what went:
// "Untagged: name:tag", "Deleted: id".
func (cli *DockerCli) CmdRmi(args ...string) error {
	cmd := cli.Subcmd("rmi", "IMAGE [IMAGE...]", "Remove one or more images")
	force := boolFlag(cmd, []string{"f", "-force"}, false, "Force removal of the image")
	noprune := boolFlag(cmd, []string{"-no-prune"}, false, "Do not delete untagged parents")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() < 1 {
		return usage(cmd)
	}
	v := url.Values{}
	if *force {
		v.Set("force", "1")
	}
	if *noprune {
		v.Set("noprune", "1")
	}
	var encounteredError error
	for _, name := range cmd.Args() {
		body, _, err := readBody(cli.call("DELETE", "/images/"+name+"?"+v.Encode(), nil, false))
		if err != nil {
			fmt.Fprintf(cli.err, "%s\n", err)
			encounteredError = fmt.Errorf("Error: failed to remove one or more images")
			continue
		}
		outs := engine.NewTable("Created", 0)
		if _, err := outs.ReadListFrom(body); err != nil {
			fmt.Fprintf(cli.err, "%s\n", err)
			encounteredError = fmt.Errorf("Error: failed to remove one or more images")
			continue
		}
		for _, out := range outs.Data {
			if out.Get("Deleted") != "" {
				fmt.Fprintf(cli.out, "Deleted: %s\n", out.Get("Deleted"))
			} else {
				fmt.Fprintf(cli.out, "Untagged: %s\n", out.Get("Untagged"))
			}
		}
	}
	return encounteredError
}

// CmdHistory lists GET /images/NAME/history, newest layer first.
func (cli *DockerCli) CmdHistory(args ...string) error {
	cmd := cli.Subcmd("history", "[OPTIONS] IMAGE", "Show the history of an image")
	quiet := boolFlag(cmd, []string{"q", "-quiet"}, false, "Only show numeric IDs")
	noTrunc := boolFlag(cmd, []string{"#notrunc", "-no-trunc"}, false, "Don't truncate output")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	body, _, err := readBody(cli.call("GET", "/images/"+cmd.Arg(0)+"/history", nil, false))
	if err != nil {
		return err
	}
	outs := engine.NewTable("Created", 0)
	if _, err := outs.ReadListFrom(body); err != nil {
		return err
	}
	w := tabwriter.NewWriter(cli.out, 20, 1, 3, ' ', 0)
	if !*quiet {
		fmt.Fprintln(w, "IMAGE\tCREATED\tCREATED BY\tSIZE")
	}
	for _, out := range outs.Data {
		outID := out.Get("Id")
		if !*noTrunc {
			outID = truncateID(outID)
		}
		if *quiet {
			fmt.Fprintln(w, outID)
			continue
		}
		createdBy := out.Get("CreatedBy")
		if !*noTrunc {
			createdBy = trunc(createdBy, 45)
		}
		fmt.Fprintf(w, "%s\t%s ago\t%s\t%s\n", outID, since(out.GetInt64("Created")), createdBy, units.HumanSize(out.GetInt64("Size")))
	}
	return w.Flush()
}

// CmdSave streams GET /images/NAME/get (a tar of the image and its
// parents) to stdout or -o FILE.
func (cli *DockerCli) CmdSave(args ...string) error {
	cmd := cli.Subcmd("save", "IMAGE", "Save an image to a tar archive (streamed to STDOUT by default)")
	outfile := stringFlag(cmd, []string{"o", "-output"}, "", "Write to an file, instead of STDOUT")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 1 {
		return usage(cmd)
	}
	output := cli.out
	if *outfile != "" {
		f, err := os.Create(*outfile)
		if err != nil {
			return err
		}
		defer f.Close()
		output = f
	}
	return cli.stream("GET", "/images/"+cmd.Arg(0)+"/get", nil, output, nil)
}

// CmdLoad posts a tar made by save (stdin or -i FILE) to /images/load.
func (cli *DockerCli) CmdLoad(args ...string) error {
	cmd := cli.Subcmd("load", "", "Load an image from a tar archive on STDIN")
	infile := stringFlag(cmd, []string{"i", "-input"}, "", "Read from a tar archive file, instead of STDIN")
	if err := parse(cmd, args); err != nil {
		return done(err)
	}
	if cmd.NArg() != 0 {
		return usage(cmd)
	}
	var input io.Reader = cli.in
	if *infile != "" {
		f, err := os.Open(*infile)
		if err != nil {
			return err
		}
		defer f.Close()
		input = f
	}
	return cli.stream("POST", "/images/load", input, cli.out, nil)
}

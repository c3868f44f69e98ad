// `viz`: the image tree as a Graphviz "dot" graph (docker images --viz,
// GET /images/viz for API versions up to 1.6).
//
// Upstream: graph/viz.go at v1.2.0 (CmdViz).
// Book: ch.8 Docker镜像 (the parent → child tree of layers, drawn).
//
// Tagged images are boxes labelled with their short id and names.
// Upstream's quirk, kept: the boxes are named by short id and the edges by
// full id, so Graphviz draws the boxes beside the tree rather than on it.
package graph

import (
	"fmt"
	"strings"

	"github.com/dockerlab/dockerlab/v1_2/engine"
)

// CmdViz writes "digraph docker { ... }": one edge per parent → child, an
// invisible "base" node above every base image, one box per tagged image.
func (s *TagStore) CmdViz(job *engine.Job) engine.Status {
	images, err := s.graph.Map()
	if err != nil {
		return job.Error(err)
	}
	var b strings.Builder
	b.WriteString("digraph docker {\n")
	for _, id := range sortedKeys(images) {
		parent, err := images[id].GetParent()
		if err != nil {
			return job.Errorf("Error while getting parent image: %v", err)
		}
		if parent != nil {
			fmt.Fprintf(&b, " \"%s\" -> \"%s\"\n", parent.ID, id)
		} else {
			fmt.Fprintf(&b, " base -> \"%s\" [style=invis]\n", id)
		}
	}
	refs := s.GetRepoRefs()
	for _, short := range sortedKeys(refs) {
		fmt.Fprintf(&b, " \"%s\" [label=\"%s\\n%s\",shape=box,fillcolor=\"paleturquoise\",style=\"filled,rounded\"];\n",
			short, short, strings.Join(refs[short], "\\n"))
	}
	b.WriteString(" base [style=invisible]\n}\n")
	if _, err := job.Stdout.Write([]byte(b.String())); err != nil {
		return job.Error(err)
	}
	return engine.StatusOK
}

package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMDRefs(t *testing.T) {
	root := writeTree(t, map[string]string{
		"docs/design.md":                 "See [kernels.md](kernels.md) and [the map](../README.md).\n",
		"docs/kernels.md":                "Facts.\n",
		"README.md":                      "Start with docs/design.md, chapters/03/README.zh.md and https://github.com/x/y/blob/main/NOTES.md.\n",
		"chapters/03/README.zh.md":       "English: [README.md](README.md) (missing here).\n",
		"docs/upstream/files-v0.1.0.txt": "docs/images-repositories-push-pull.md\nREADME.md\n",
		"v1_2/a/a.go": "// Reference: upstream-v1_2.md §2.3 and design.md \"Testing\";\n" +
			"// registry-and-build.md; containernetworking/plugins:pkg/ns/README.md is another project's.\n" +
			"// Upstream's own docs/images-repositories-push-pull.md names ids.\n" +
			"package a\n\nvar s = \"not-a-citation.md\"\n",
		"build/out.md": "design.md (build output is not read)\n",
	})
	trees, err := loadTrees(root)
	require.NoError(t, err)
	probs, err := checkMDRefs(root, trees)
	require.NoError(t, err)
	all := msgs(probs)
	assert.Contains(t, all, "chapters/03/README.zh.md:1: cites README.md")
	assert.Contains(t, all, "v1_2/a/a.go:1: cites upstream-v1_2.md, which is not a file of the repository (looked beside v1_2/a/a.go and at the root): that file is outside the repository; cite docs/upstream/v1.2.0.md (same section numbers) instead")
	assert.Contains(t, all, "v1_2/a/a.go:1: cites design.md")
	assert.Contains(t, all, "cite docs/design.md (same section numbers)")
	assert.Contains(t, all, "v1_2/a/a.go:2: cites registry-and-build.md")
	assert.Contains(t, all, "has no copy here; write the facts you need into docs/")
	assert.Len(t, probs, 4, all)
}

func TestTextOfGoKeepsOnlyComments(t *testing.T) {
	src := "package a\n\n// a comment, 中文 too: x.md\nvar s = \"y.md\" // z.md\n"
	got := textOf("a.go", []byte(src))
	assert.Len(t, got, len(src))
	assert.Contains(t, got, "x.md")
	assert.Contains(t, got, "z.md")
	assert.NotContains(t, got, "y.md")
}

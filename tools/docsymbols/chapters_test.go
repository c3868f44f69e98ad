package main

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const goodChapter = "# Chapter 3 — Starting the Docker Daemon\n\n" +
	"```sh\ndockerlab chapter 3\n```\n\n" +
	"| § | What happens | Where |\n|---|---|---|\n| 3.3.3 | `eng := engine.New()` | `v1_2/engine.New` |\n"

func TestChapterREADMEShape(t *testing.T) {
	assert.Empty(t, checkChapterREADME("chapters/03-daemon/README.md", goodChapter))

	// What a later commit once left of chapter 3: a note's table alone.
	fragment := "\n\n## Note 004's sections in the code\n\n| Note 004 section | Where |\n|---|---|\n| Engine | `v1_2/engine.Engine` |\n"
	all := msgs(checkChapterREADME("chapters/03-daemon/README.md", fragment))
	assert.Contains(t, all, "opens with its title")
	assert.Contains(t, all, "no run commands")
	assert.NotContains(t, all, "no section table")

	noTable := "# Chapter 9\n\n```sh\ndockerlab chapter 9\n```\n\nProse only.\n"
	assert.Contains(t, msgs(checkChapterREADME("chapters/09-pull/README.md", noTable)), "no section table")

	// A command in prose, outside a fence, is not a run command.
	inProse := "# Chapter 9\n\nRun `dockerlab chapter 9`.\n\n| § | Step | Where |\n|---|---|---|\n| 9.3 | x | `v1_2/graph/pull.go` |\n"
	assert.Contains(t, msgs(checkChapterREADME("chapters/09-pull/README.md", inProse)), "no run commands")
}

func TestCheckChapters(t *testing.T) {
	root := writeTree(t, map[string]string{
		"chapters/03-daemon/README.md":    goodChapter,
		"chapters/03-daemon/README.zh.md": strings.Replace(goodChapter, "# Chapter 3", "# 第 3 章", 1),
		"chapters/04-newdaemon/README.md": goodChapter,
		"chapters/chapterutil/util.go":    "package chapterutil\n",
		"README.md": "| Ch. | Folder | Status |\n|---|---|---|\n" +
			"| 3 | `chapters/03-daemon/` | demo: `dockerlab chapter 3` |\n" +
			"| 4 | `chapters/04-newdaemon/` | planned |\n" +
			"| 9 | `chapters/09-pull/` | demo |\n",
	})
	probs, err := checkChapters(root)
	require.NoError(t, err)
	all := msgs(probs)
	assert.Contains(t, all, "chapters/04-newdaemon: the chapter has no README.zh.md")
	assert.Contains(t, all, "README.md:4: chapters/04-newdaemon/ exists but its row says planned")
	assert.Contains(t, all, "README.md:5: chapters/09-pull/ does not exist: mark the row planned")
	assert.NotContains(t, all, "chapterutil")
	assert.NotContains(t, all, "03-daemon")
}

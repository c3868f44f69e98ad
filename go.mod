module github.com/dockerlab/dockerlab

go 1.26.0

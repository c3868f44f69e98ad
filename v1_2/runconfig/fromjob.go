// Reading a Config and a HostConfig back out of a job's environment: the
// API server decodes the request's JSON body into the job env, and the
// create/start jobs rebuild the structs from it.
//
// Upstream: runconfig/config.go at v1.2.0 (ContainerConfigFromJob),
// runconfig/hostconfig.go at v1.2.0 (ContainerHostConfigFromJob). The jobs
// are the daemon's ContainerCreate and ContainerStart (docs/upstream/v1.2.0.md
// §2.4).
// Book: ch.7 §7.3; ch.12 §12.3 (create) and §12.4 (start).
package runconfig

import "github.com/dockerlab/dockerlab/v1_2/engine"

// ContainerConfigFromJob reads the Config keys of job's env. As upstream,
// a list key that is absent stays nil, and a malformed JSON value for
// ExposedPorts or Volumes is ignored (the field stays nil). OnBuild is not
// read: it only comes from a Dockerfile, never from a request.
func ContainerConfigFromJob(job *engine.Job) *Config {
	config := &Config{
		Hostname:        job.Getenv("Hostname"),
		Domainname:      job.Getenv("Domainname"),
		User:            job.Getenv("User"),
		Memory:          job.GetenvInt64("Memory"),
		MemorySwap:      job.GetenvInt64("MemorySwap"),
		CpuShares:       job.GetenvInt64("CpuShares"),
		Cpuset:          job.Getenv("Cpuset"),
		AttachStdin:     job.GetenvBool("AttachStdin"),
		AttachStdout:    job.GetenvBool("AttachStdout"),
		AttachStderr:    job.GetenvBool("AttachStderr"),
		Tty:             job.GetenvBool("Tty"),
		OpenStdin:       job.GetenvBool("OpenStdin"),
		StdinOnce:       job.GetenvBool("StdinOnce"),
		Image:           job.Getenv("Image"),
		WorkingDir:      job.Getenv("WorkingDir"),
		NetworkDisabled: job.GetenvBool("NetworkDisabled"),
	}
	_ = job.GetenvJson("ExposedPorts", &config.ExposedPorts)
	_ = job.GetenvJson("Volumes", &config.Volumes)
	config.PortSpecs = job.GetenvList("PortSpecs")
	config.Env = job.GetenvList("Env")
	config.Cmd = job.GetenvList("Cmd")
	config.Entrypoint = job.GetenvList("Entrypoint")
	return config
}

// ContainerHostConfigFromJob reads the HostConfig keys of job's env, with
// the same leniency as ContainerConfigFromJob.
func ContainerHostConfigFromJob(job *engine.Job) *HostConfig {
	hostConfig := &HostConfig{
		ContainerIDFile: job.Getenv("ContainerIDFile"),
		Privileged:      job.GetenvBool("Privileged"),
		PublishAllPorts: job.GetenvBool("PublishAllPorts"),
		NetworkMode:     NetworkMode(job.Getenv("NetworkMode")),
	}
	_ = job.GetenvJson("LxcConf", &hostConfig.LxcConf)
	_ = job.GetenvJson("PortBindings", &hostConfig.PortBindings)
	_ = job.GetenvJson("Devices", &hostConfig.Devices)
	_ = job.GetenvJson("RestartPolicy", &hostConfig.RestartPolicy)
	hostConfig.Binds = job.GetenvList("Binds")
	hostConfig.Links = job.GetenvList("Links")
	hostConfig.Dns = job.GetenvList("Dns")
	hostConfig.DnsSearch = job.GetenvList("DnsSearch")
	hostConfig.VolumesFrom = job.GetenvList("VolumesFrom")
	hostConfig.CapAdd = job.GetenvList("CapAdd")
	hostConfig.CapDrop = job.GetenvList("CapDrop")
	return hostConfig
}

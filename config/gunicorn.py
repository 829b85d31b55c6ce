"""gunicorn's settings for `make run` (config.supervise); production passes its own flags
(docs/deployment.md). Threads let one worker process answer while another request waits on
SQLite's write lock."""

worker_class = "gthread"
threads = 4
timeout = 60
graceful_timeout = 20
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
# One control socket per user by default ($HOME/.gunicorn): two instances on one machine
# would fight over it, and make run needs none.
control_socket_disable = True

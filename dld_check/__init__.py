"""The course's notebook runner and the learner's self-check (shipped in the course wheel, no
nbgrader).

Answers run in the learner's kernel; test cells run in this process against proxies of the
learner's functions (`runner`, `remote`, `kernel`, `codec`, `agent`), scored by the course's one
rule (`rules`). `dld grade` runs the same runner with the kernel sandboxed and the hidden tests in.
"""

"""Course tooling of Deep Learning Demystified: `dld release`, `dld check`, `dld grade`.

It sits beside nnlib (never inside it) and drives nbgrader in process.
"""

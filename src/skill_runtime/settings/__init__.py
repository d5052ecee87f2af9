"""skill.yaml's sections as typed models: the bottom layer, importing nothing of the package.

Every layer above receives the model it needs as an argument; only the CLI loads the
file (`skill_runtime.config`).
"""

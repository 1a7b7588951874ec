"""The floor of the page benchmark: a Flask application that answers "Hello, world!" and does
nothing else, served by the same gunicorn command and settings as the project
(``benchmarks/office_scale.py``), so that what it costs is what no page can go below."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, world!"

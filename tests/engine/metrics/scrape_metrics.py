# Scrapes a /metrics URL (or parses stdin) with the reference parser, prometheus_client, and prints the samples as JSON.
import json
import math
import sys
import urllib.request

from prometheus_client.parser import text_string_to_metric_families


def main():
    if len(sys.argv) > 1:
        with urllib.request.urlopen(sys.argv[1], timeout=20) as response:
            content_type = response.headers.get("Content-Type", "")
            text = response.read().decode("utf-8")
    else:
        content_type = ""
        text = sys.stdin.read()
    families = []
    samples = []
    for family in text_string_to_metric_families(text):
        families.append({"name": family.name, "type": family.type})
        for sample in family.samples:
            value = sample.value
            # JSON has no NaN or infinities: those travel as the text format spells them.
            if math.isnan(value):
                value = "NaN"
            elif math.isinf(value):
                value = "+Inf" if value > 0 else "-Inf"
            samples.append({"name": sample.name, "labels": sample.labels, "value": value})
    json.dump({"contentType": content_type, "families": families, "samples": samples}, sys.stdout)


if __name__ == "__main__":
    main()

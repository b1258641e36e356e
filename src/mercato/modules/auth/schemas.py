from pydantic import BaseModel, ConfigDict


class AdminPostAuthReq(BaseModel):
    model_config = ConfigDict(extra="forbid")
    email: str
    password: str
